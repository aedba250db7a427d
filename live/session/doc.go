// Package session runs a whole live run: the guards (allowlist, before
// any call; STS identities), the rollback journal, provisioning the
// probes, the drill (live/drill) with client-side faults installed on
// every PutEvents client, and the rollback at the end — always for chaos
// changes, for the probes unless Keep — also after an interrupt or a
// stop condition. The runner's live run is a thin layer over [Run]; the
// chaos schedule plugs in through Options.Chaos, which gets an [Env] with
// the journal, the clients, the actuator targets and the client faults.
// The session owns the rollback: it stops the schedule and waits for it
// before reverting, so a fault's own revert and the rollback never race.
package session
