package swarm

import (
	"fmt"
	"strings"
)

// Files of a shrink's folder.
const (
	MinimalFile = "minimal.yaml"
	IssueFile   = "issue.md"
)

// shrinkDir is a shrink's folder, relative to the swarm's: one per
// failing expectation (numbered from 1 as the scenario lists them) and
// seed.
func shrinkDir(index int, seed uint64) string {
	return fmt.Sprintf("shrink/expect-%d-seed-%d", index+1, seed)
}

// seedDir is a reported seed's folder, relative to the swarm's.
func seedDir(seed uint64) string { return fmt.Sprintf("seeds/%d", seed) }

// ReproCommand is the one line that reproduces a shrunk failure, given
// where its minimal scenario is.
func ReproCommand(minimalPath string, seed uint64) string {
	return fmt.Sprintf("busdrill run %s --seed %d", minimalPath, seed)
}

// minimalHeader is the comment at the top of minimal.yaml.
func (sh *Shrink) minimalHeader(scenarioFile string) string {
	state := "shrunk"
	if !sh.Complete {
		state = "partly shrunk (the best so far)"
	}
	return fmt.Sprintf("Minimal scenario, %s by busdrill swarm from %s, seed %d:\n"+
		"the expectation %q fails (observed %s, expected %s).\n"+
		"Reproduce: busdrill run %s --seed %d",
		state, scenarioFile, sh.Seed, sh.Expectation, sh.MinimalObserved, sh.MinimalThreshold, MinimalFile, sh.Seed)
}

// issueBody is issue.md: a Markdown issue body that stands alone (the
// minimal scenario inline; the repro line runs it once saved as
// minimal.yaml).
func (sh *Shrink) issueBody(sum *Summary, minimal []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s: `%s` fails for seed %d\n\n", sum.Scenario, sh.Expectation, sh.Seed)
	fmt.Fprintf(&b, "**What failed:** the expectation `%s` of scenario `%s` (%s).\n\n", sh.Expectation, sum.Scenario, sum.File)
	fmt.Fprintf(&b, "| | observed | expected |\n|---|---|---|\n")
	fmt.Fprintf(&b, "| seed %d as swept | %s | %s |\n", sh.Seed, sh.Observed, sh.Threshold)
	if sh.MinimalObserved != "" {
		fmt.Fprintf(&b, "| minimal scenario | %s | %s |\n", sh.MinimalObserved, sh.MinimalThreshold)
	}
	fmt.Fprintf(&b, "\nIt failed for %d of the %d seeds swept (%s).", sh.FailedSeeds, sum.Tally.Seeds, sweptText(sum))
	if sum.Vary != "" {
		fmt.Fprintf(&b, " Each seed varied the scenario (`--vary %s`); the scenario below is the one seed %d ran.", sum.Vary, sh.Seed)
	}
	b.WriteString("\n\n### Reproduce\n\nSave the scenario below as `" + MinimalFile + "`, then:\n\n")
	fmt.Fprintf(&b, "```sh\n%s\n```\n\n", ReproCommand(MinimalFile, sh.Seed))
	switch {
	case sh.Replayed:
		b.WriteString("The minimal scenario ran twice with byte-identical results.\n\n")
	case sh.ReplayDifference != "":
		fmt.Fprintf(&b, "**The minimal scenario did not replay:** %s.\n\n", sh.ReplayDifference)
	}
	b.WriteString("### Minimal scenario\n\n")
	if len(sh.Steps) == 0 {
		b.WriteString("Not shrunk: ")
	} else {
		fmt.Fprintf(&b, "Shrunk in %d steps (%d runs, keeping seed %d and checking after each step that the expectation still fails the same way):\n\n", len(sh.Steps), sh.Runs, sh.Seed)
		for _, s := range sh.Steps {
			fmt.Fprintf(&b, "- %s\n", s)
		}
		b.WriteString("\nWhat is left: ")
	}
	b.WriteString(sh.Minimal + ".")
	switch {
	case sh.Problem != "":
		fmt.Fprintf(&b, " (%s.)", sh.Problem)
	case !sh.Complete:
		b.WriteString(" (The shrink stopped early — run budget or interrupt — so a smaller scenario may still fail the same way.)")
	}
	fmt.Fprintf(&b, "\n\n```yaml\n%s```\n\n", minimal)
	fmt.Fprintf(&b, "busdrill version: `%s`\n", sum.Version)
	return b.String()
}

func sweptText(sum *Summary) string {
	s := fmt.Sprintf("seeds %d–%d", sum.First, sum.Last)
	if sum.Quick {
		s += ", --quick"
	}
	return s
}
