// Package session runs a whole live run: the guards (allowlist, before
// any call; STS identities), the rollback journal, provisioning the
// probes, the drill (live/drill) with client-side faults installed on
// every PutEvents client, and the rollback at the end — always for chaos
// changes, for the probes unless Keep — also after an interrupt or a
// stop condition. cmd/busdrill's run --target aws is a thin layer over
// [Run]; the chaos engine plugs in through Options.OnStart, which gets an
// [Env] with the journal, the clients, the actuator targets and the
// client faults.
package session
