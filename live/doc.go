// Package live is the root of busdrill's real-backbone adapter ("live
// mode"): a scenario driven against EventBridge and SQS in real (staging)
// accounts with aws-sdk-go-v2, or against busdrill serve, producing the
// same results.json as the simulator with target "aws". The package itself
// holds nothing but this page.
//
// Its subpackages, from the bottom up:
//
//   - live/redact: keeps credentials out of errors, logs and output.
//   - live/awsclients: aws.Config and EventBridge/SQS/STS clients per
//     scenario account (standard chain, profiles, AssumeRole) from the
//     live section's accounts, endpoint override for emulators, retry
//     settings.
//   - live/config: the live section of a rehearsal against a local
//     emulator, for scenarios without one. (The live section itself is
//     data of the scenario format: scenarios/livespec.)
//   - live/journal: the write-ahead rollback journal of every mutation
//     busdrill makes to an account, and restore from it.
//   - live/provision: the layout of a run, the plan of every call, probe
//     provisioning and tag-based teardown.
//   - live/actuators: the chaos actuators for AWS (rules, bus policies,
//     client-side throttling and duplicates).
//   - live/drill: the runtime — pacer, publisher workers, probe pollers,
//     service stand-ins, one event loop, the recorder. Its package doc
//     says which services it plays.
//   - live/schedule: the fault timeline on the wall clock, through the
//     actuators; faults a real backbone cannot take are refused up front.
//   - live/session: a whole run: guard, verify, journal, provision, drill
//     and fault schedule, roll back.
//   - live/fixture: deploys a scenario's backbone into an emulator (busdrill
//     aws deploy-fixture).
//   - live/awsread: reads a deployed backbone with read-only calls
//     (busdrill topology import --live, lint --live).
//
// A live run, step by step (busdrill run --target aws, through runner and
// live/session):
//
//  1. Before any call: faults the live runtime cannot inject are refused,
//     and the live section is checked against the scenario: any account
//     outside allowed_accounts is refused.
//  2. STS GetCallerIdentity for every account: credentials must belong to
//     the declared ids.
//  3. The probes are provisioned (journaled first).
//  4. The drill: orders on the wall clock, observers, stand-ins (unless
//     --observe-only); beside it, from the moment it starts, the fault
//     schedule on its own timers; then the drain, DLQs, results.
//  5. Rollback from the journal: chaos changes always, probes unless
//     --keep. SIGINT/SIGTERM stop the traffic and go straight to 5, with
//     the partial results marked interrupted.
//
// Nothing here is used by the simulator or the scenario format: the core
// (sim, scenarios, loadgen, report, chaos, topology, pattern, event,
// actors) imports neither live/ nor the AWS SDK, and internal/arrows
// fails the tests when an import turns back.
package live
