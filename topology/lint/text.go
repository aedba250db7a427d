package lint

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteText writes the report for people: what was linted, the fan-out
// matrix, the quota picture, every finding with its place and fix, the
// checks that did not run, and the tally.
func (r *Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf("busdrill topology lint: %s\n", r.Source)
	ew.printf("%s, %s, %s, %s\n", plural(r.Accounts, "account"), plural(r.Buses, "bus"), plural(r.Rules, "rule"), plural(r.Targets, "target"))

	ew.printf("\nfan-out (what of each account's events reaches another account's buses through rules):\n")
	if len(r.Matrix) == 0 {
		ew.printf("  none: no rule forwards to another account\n")
	}
	tw := tabwriter.NewWriter(ew, 0, 4, 2, ' ', 0)
	for _, f := range r.Matrix {
		arrow := f.Sender + " → " + f.Receiver
		if f.Sender == f.Receiver {
			arrow += " (its own)"
		}
		fmt.Fprintf(tw, "  %s\t%s\n", arrow, f.Summary)
	}
	tw.Flush()

	ew.printf("\nquotas (rules on the bus; targets on its fullest rule):\n")
	tw = tabwriter.NewWriter(ew, 0, 4, 2, ' ', 0)
	for _, q := range r.Quotas {
		fmt.Fprintf(tw, "  %s\trules %d/%d\ttargets %d/%d\n", q.Bus, q.Rules, q.RulesLimit, q.MaxTargets, q.TargetsLimit)
	}
	tw.Flush()

	if len(r.Findings) > 0 {
		ew.printf("\nfindings:\n")
	}
	for _, f := range r.Findings {
		ew.printf("  %-7s %s  %s\n", f.Severity, f.Check, f.Resource)
		if at := f.Where.String(); at != "" {
			ew.printf("          at %s\n", at)
		}
		ew.printf("          %s\n", f.Message)
		ew.printf("          fix: %s\n", f.Fix)
	}
	if len(r.NotRun) > 0 {
		ew.printf("\nnot checked:\n")
		for _, n := range r.NotRun {
			ew.printf("  %s\n", n)
		}
	}
	ew.printf("\n%s\n", r.Tally())
	return ew.err
}

// errWriter keeps the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) {
	fmt.Fprintf(e, format, args...)
}
