// Package compare holds the tests that run live mode (busdrill run
// --target aws, in-process through live/session) against busdrill serve
// and compare its results with the simulator's run of the same scenario
// and seed. It has no code of its own: see compare_test.go.
//
// # Keeping the runs short
//
// The library scenarios run minutes of traffic with faults at minutes. The
// tests run derived short scenarios: the traffic's duration and every
// fault's start and length are scaled by one factor so that the traffic
// lasts TrafficWindow (8 s), rates, payloads, services and the topology
// unchanged, and the drain is long enough for the slowest service (12 s).
// Both worlds run the same derived scenario, with the control-plane lag at
// 0 (serve's default: a live run places fault windows at the times of its
// calls), and the simulator's topology carries the live run's probes
// (provision.Layout.Topology, the run id made the simulator's), so both
// ledgers have the same probe routes.
//
// # What is compared
//
// Per probe route (sender → "<bus>/busdrill-probe/probe"): expected and
// delivered, and the simulator's losses against what the live run cannot
// see and leaves in flight; per (sender, cause), the live run's DLQ
// messages against the simulator's dead-lettered probe routes; orders
// sent, not sent by cause, and completed. Counts must agree except within
// one order of each fault window's edge (a wall-clock boundary: the
// orders between the simulator's exact edge and the live run's, which
// serve's access log gives, widened by the model's latencies and the live
// publisher's largest lag). Where the two book the same events
// differently (listed in compared, with the reason), the test accepts
// exactly those differences; any other fails it.
package compare
