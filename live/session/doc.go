// Package session runs a whole live run: the guards (faults the live
// runtime cannot inject and accounts outside the allowlist are refused
// before any call; STS identities are verified), the rollback journal,
// provisioning the probes, the drill (live/drill) with client-side faults
// installed on every PutEvents client, the scenario's fault schedule, and
// the rollback at the end — always for chaos changes, for the probes
// unless Keep — also after an interrupt or a stop condition.
//
// The session owns its chaos: once the drill starts it builds the
// schedule's environment (live/schedule.Env: the journal, the actuator
// targets, the client faults, the drill as the fault recorder) and runs
// the scenario's timeline with it. It owns the rollback too: it stops
// the schedule and waits for it before reverting, so a fault's own revert
// and the rollback never race. The runner's live run is a thin layer over
// [Run].
package session
