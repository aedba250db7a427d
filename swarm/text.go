package swarm

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// maxPrinted bounds the lines printed per kind of problem (the rest are
// in swarm.json).
const maxPrinted = 5

// WriteText prints a scenario's swarm for people, in the style of
// busdrill check: a PASS, FAIL or INTR line; each expectation's pass
// share and distribution; the invariants and the replays; each shrink
// with its repro line. dir is the swarm's folder ("" when nothing was
// written): repro lines point into it.
func WriteText(w io.Writer, sum *Summary, dir string) {
	status := "PASS"
	switch {
	case sum.Interrupted:
		status = "INTR"
	case sum.Verdict == VerdictFail:
		status = "FAIL"
	}
	name := sum.Scenario
	if sum.Vary != "" {
		name += " (vary " + sum.Vary + ")"
	}
	if sum.Quick {
		name += " (quick)"
	}
	fmt.Fprintf(w, "%-5s %s · %s\n", status, name, tallyText(sum))
	width := 0
	for _, st := range sum.Expectations {
		width = max(width, len(st.label()))
	}
	for _, st := range sum.Expectations {
		fmt.Fprintf(w, "      %-*s  %s\n", width, st.label(), st.text())
	}
	printed := 0
	for _, r := range sum.Runs {
		for _, v := range r.Invariants {
			if printed < maxPrinted {
				fmt.Fprintf(w, "      BROKEN seed %d: %s\n", r.Seed, v)
			}
			printed++
		}
	}
	if printed > maxPrinted {
		fmt.Fprintf(w, "      … %d more broken invariants (swarm.json lists them)\n", printed-maxPrinted)
	}
	printed = 0
	for _, r := range sum.Runs {
		if r.Replay != "" && r.Replay != replayIdentical && printed < maxPrinted {
			fmt.Fprintf(w, "      NOT DETERMINISTIC seed %d: results.json %s\n", r.Seed, r.Replay)
			printed++
		}
		if r.Status == StatusError && printed < maxPrinted {
			fmt.Fprintf(w, "      ERROR seed %d: %s\n", r.Seed, r.Error)
			printed++
		}
	}
	for _, d := range sum.LateReplays {
		fmt.Fprintf(w, "      NOT DETERMINISTIC %s\n", d)
	}
	for i := range sum.Shrinks {
		writeShrinkText(w, &sum.Shrinks[i], dir)
	}
	if dir != "" {
		fmt.Fprintf(w, "      summary: %s\n", filepath.Join(dir, SummaryFile))
	}
}

// tallyText is "40 seeds: 38 passed, 2 failed · invariants held in every
// run · 4 seeds replayed byte-identically".
func tallyText(sum *Summary) string {
	t := sum.Tally
	parts := []string{fmt.Sprintf("%d passed", t.Passed), fmt.Sprintf("%d failed", t.Failed)}
	if sum.InvariantsOnly {
		parts = []string{fmt.Sprintf("expectations held in %d, not judged (--invariants-only)", t.Passed)}
	}
	if t.Errors > 0 {
		parts = append(parts, fmt.Sprintf("%d could not run", t.Errors))
	}
	if t.Interrupted > 0 {
		parts = append(parts, fmt.Sprintf("%d interrupted", t.Interrupted))
	}
	seeds := fmt.Sprintf("seeds %d–%d", sum.First, sum.Last)
	if sum.Shard != nil {
		seeds += fmt.Sprintf(" shard %d/%d", sum.Shard.Index, sum.Shard.Count)
	}
	s := fmt.Sprintf("%s: %d run, %s", seeds, t.Seeds, strings.Join(parts, ", "))
	if t.Broken == 0 {
		s += " · invariants held"
	} else {
		s += fmt.Sprintf(" · %d seed%s broke an invariant", t.Broken, plural(t.Broken))
	}
	switch {
	case t.Replayed == 0:
	case t.NotReplayable == 0:
		s += fmt.Sprintf(" · %d replays identical", t.Replayed)
	default:
		s += fmt.Sprintf(" · %d of %d replays differ", t.NotReplayable, t.Replayed)
	}
	return s
}

func (st ExpectStats) label() string {
	if st.Window == "" || st.Window == "all" {
		return st.Name
	}
	return st.Name + " [" + st.Window + "]"
}

// text is an expectation's line: its pass share, its distribution and
// its first failing seeds.
func (st ExpectStats) text() string {
	if st.Applied == 0 {
		return "not evaluated (its fault was off in every seed)"
	}
	s := fmt.Sprintf("%6s of %d", shareText(st.Share), st.Applied)
	if d := st.Distribution; d != nil && st.Unit != "bool" {
		s += fmt.Sprintf("   min %s (seed %d) · p50 %s · p99 %s · max %s (seed %d)",
			formatValue(st.Unit, d.Min), d.MinSeed, formatValue(st.Unit, d.P50), formatValue(st.Unit, d.P99), formatValue(st.Unit, d.Max), d.MaxSeed)
	}
	if st.NoData > 0 {
		s += fmt.Sprintf(" · no data in %d", st.NoData)
	}
	if len(st.FailedSeeds) > 0 {
		var seeds []string
		for i, seed := range st.FailedSeeds {
			if i == maxPrinted {
				seeds = append(seeds, "…")
				break
			}
			seeds = append(seeds, fmt.Sprint(seed))
		}
		s += " · failed for " + strings.Join(seeds, ", ")
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// shareText prints a pass share: 100%, 95%, 99.5%, 0.1%.
func shareText(share float64) string {
	return formatValue("ratio", share)
}

func writeShrinkText(w io.Writer, sh *Shrink, dir string) {
	state := fmt.Sprintf("%d steps in %d runs", len(sh.Steps), sh.Runs)
	if !sh.Complete {
		state += ", stopped early (best so far)"
	}
	fmt.Fprintf(w, "      shrunk %q for seed %d (%s): %s\n", sh.Expectation, sh.Seed, state, sh.Minimal)
	if sh.Problem != "" {
		fmt.Fprintf(w, "        problem: %s\n", sh.Problem)
	}
	if sh.MinimalObserved != "" {
		replay := "replays byte-identically"
		switch {
		case sh.ReplayDifference != "":
			replay = "DOES NOT REPLAY: " + sh.ReplayDifference
		case !sh.Replayed:
			replay = "not replayed (interrupted)"
		}
		fmt.Fprintf(w, "        observed %s, expected %s; %s\n", sh.MinimalObserved, sh.MinimalThreshold, replay)
	}
	if dir == "" {
		return
	}
	d := filepath.Join(dir, sh.Dir)
	fmt.Fprintf(w, "        repro: %s\n", ReproCommand(filepath.Join(d, MinimalFile), sh.Seed))
	fmt.Fprintf(w, "        issue: %s\n", filepath.Join(d, IssueFile))
}
