// Package arrows keeps busdrill's dependencies pointing down. It has no
// code, only its test: `go test ./internal/arrows` (part of `make test`)
// lists the dependency graph of the core packages with `go list -deps`
// and fails, naming the chain of imports, when one of them reaches a
// package above it.
//
// The core is what both worlds share and what a scenario means: sim,
// scenarios, loadgen, report, chaos, topology, pattern, event and actors,
// with their subpackages. None of it may depend, even indirectly, on
//
//   - the AWS SDK (github.com/aws/...): the simulator and the scenario
//     format must build, test and run without it;
//   - live/ (the live runtime), serve/ (the model behind the AWS wire),
//     runner/ (orchestration) or cmd/ (the CLI): they sit above the core
//     and use it.
//
// A few arrows inside the live adapter are pinned too, having once
// turned back: live/config reaches neither the SDK nor live/awsclients,
// live/schedule does not know live/session (the session runs the
// schedule), and live/drill does not use the simulator's model.
//
// DESIGN.md draws the picture: cmd → orchestration → live/sim → core →
// topology → pattern/event. When the test fails, move the code that needs
// the upper package up, or the type the core needs down (as
// scenarios/livespec holds the live section as data for live/ to act on).
package arrows
