// Package live is the root of busdrill's real-backbone adapter ("live
// mode"): the same actors as the simulator, driven against EventBridge and
// SQS in real (staging) accounts with aws-sdk-go-v2.
//
// Its subpackages, from the bottom up:
//
//   - live/redact: keeps credentials out of errors, logs and output.
//   - live/awsclients: aws.Config and EventBridge/SQS/STS clients per
//     scenario account (standard chain, profiles, AssumeRole), endpoint
//     override for emulators, retry settings.
//   - live/journal: the write-ahead rollback journal of every mutation
//     busdrill makes to an account, and restore from it.
//   - live/config: the live section (accounts, allowlist, buses, probes,
//     publisher, stop conditions).
//   - live/provision: the layout of a run, the plan of every call, probe
//     provisioning and tag-based teardown.
//   - live/actuators: the chaos actuators for AWS (rules, bus policies,
//     client-side throttling and duplicates).
//   - live/drill: the runtime — pacer, publisher workers, probe pollers,
//     stand-ins, one event loop, the recorder.
//   - live/session: a whole run: guard, verify, journal, provision, drill,
//     roll back.
//   - live/fixture: deploys a scenario's backbone into moto for tests, and
//     the moto patch for cross-account PutEvents.
//
// A live run, step by step (busdrill run --target aws):
//
//  1. The live section is checked against the scenario; any account
//     outside allowed_accounts is refused before any call.
//  2. STS GetCallerIdentity for every account: credentials must belong to
//     the declared ids.
//  3. The probes are provisioned (journaled first).
//  4. The drill: orders on the wall clock, observers, stand-ins (unless
//     --observe-only), faults from the chaos schedule; then the drain,
//     DLQs, results.
//  5. Rollback from the journal: chaos changes always, probes unless
//     --keep. SIGINT/SIGTERM stop the traffic and go straight to 5, with
//     the partial results marked interrupted.
//
// Nothing here is used by the simulator; nothing under sim/ imports it.
package live
