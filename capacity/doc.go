// Package capacity finds the highest rate a scenario's backbone sustains
// in the simulator, and which limit binds first (busdrill capacity).
//
// # The search
//
// [Search] brackets then bisects a rate: each step is a probe, a full
// simulation of the scenario's traffic scaled to that rate. It goes up
// from the scenario's own rate (×2) until a probe fails, or down (÷2)
// until one passes, then halves the bracket on a log scale until the
// lowest failing rate is within the precision (2% by default) of the
// highest passing one; the answer is the highest passing rate. A probe
// also predicts where its most used constraint saturates (its rate over
// its utilisation); the search tries that prediction first when it falls
// well inside the unknown range, so a backbone limited by a quota or a
// concurrency is bracketed in three or four probes instead of ten. The
// rates tried depend only on the configuration and the probes' verdicts,
// so the same scenario and seed always give the same answer.
package capacity
