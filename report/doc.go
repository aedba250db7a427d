// Package report turns observations into results: the recorder that
// follows journeys and builds the loss ledger, the [Results] model written
// to results.json (a contract, documented in docs/results.md), and the
// renderers, compare and merge built on it.
//
// The package never knows which world produced the observations: the
// simulator and a live run feed the same recorder.
package report
