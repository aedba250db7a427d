// Package motoserver runs moto (github.com/getmoto/moto), the Python AWS
// emulator, for tests of live mode: on a free 127.0.0.1 port, in its own
// process group, stopped when the test ends.
//
//	func TestSomething(t *testing.T) {
//		srv := motoserver.Start(t) // skips without moto; fails if CI=true
//		cfg := ... EndpointURL: srv.URL() ...
//	}
//
// or one server per test binary, reset before each test:
//
//	func TestMain(m *testing.M) { os.Exit(motoserver.RunTests(m)) }
//	func TestSomething(t *testing.T) { srv := motoserver.Shared(t); ... }
//
// # Launch
//
// moto runs as `python3 -c <bootstrap> -H 127.0.0.1 -p PORT`
// ($BUSDRILL_PYTHON overrides python3). The bootstrap (bootstrap.go, the
// one copy of every change busdrill makes to moto):
//
//   - teaches moto cross-account PutEvents: an entry whose EventBusName is
//     the ARN of another account's bus is delivered on that bus, with the
//     event's account set to the caller, as AWS does (stock moto 5.x looks
//     the name up in the caller's own account and fails the call), so the
//     reference backbone, whose services publish to the bus account's
//     global bus, runs on it;
//   - caches two pure functions with functools.lru_cache: jsonpath_ng.ext.parse
//     (stock moto 5.x re-parses the same JSONPath expressions for every
//     delivered (event × target), about 200 ms each on these machines) and
//     moto.core.utils.camelcase_to_underscores (SQS ReceiveMessage runs it
//     for every attribute of every message). Measured here: 200 events
//     PutEvents → rule → SQS, drained concurrently, went from ~190 ms to
//     ~10 ms per event end to end (TestDeliveryThroughput).
//     Options.Stock turns them and the cross-account patch off, for
//     comparison;
//   - silences werkzeug's per-request access log (Options.LogRequests keeps
//     it; errors and tracebacks are always kept);
//   - exits when its stdin pipe closes, so moto dies with the test binary
//     even if the binary is killed without running cleanups.
//
// [Launch] waits (20 s by default) for GET /moto-api/ to answer 200,
// retrying on a fresh port if the chosen one was taken meanwhile. moto's
// stdout and stderr go to a temp file; start failures and failed tests
// include its tail ([Server.StderrTail]).
//
// [Server.Close] sends SIGTERM to the process group, SIGKILL after 5 s,
// then a final SIGKILL sweep of the group, and reaps the process: nothing
// is left behind. [Server.Reset] wipes all state (POST /moto-api/reset).
//
// # Availability
//
// [Available] probes `python3 -c 'import moto, jsonpath_ng.ext, werkzeug'`
// once per process. [Require] (called by [Start] and [Shared]) skips the
// test with the reason when moto is missing, unless the environment
// variable CI is "true" (or "1"): then it fails, because CI must not turn
// green by skipping.
//
// # moto, as measured (5.2.1)
//
// Accounts are chosen by STS AssumeRole (any role ARN works; the assumed
// credentials select the role's account), the path real AWS uses, or by
// the x-moto-account-id header. moto delivers inside the PutEvents call;
// across accounts it gives the event a new id, sets account to the receiver
// and resets time; its default SQS body omits account. It stores but does
// not enforce DisableRule, bus permissions, retry policies and DLQs, and
// never throttles. PutPermission with a Policy merges statements into the
// existing policy instead of replacing it. SendMessage slows as a queue
// fills: keep queues drained.
package motoserver
