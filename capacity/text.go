package capacity

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/busdrill/busdrill/report"
)

// WriteText writes the answer for people: the rate, what binds and why,
// the headroom of the rest, the next steps, the cost, what was not a
// criterion, and the probes.
func WriteText(w io.Writer, c *report.Capacity) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "%s · seed %d · capacity (%s, scaled", c.Scenario, c.Seed, c.Traffic)
	if len(c.Set) > 0 {
		fmt.Fprintf(b, "; --set %s", strings.Join(c.Set, " --set "))
	}
	b.WriteString(")\n\n")
	writeAnswer(b, c)
	if c.Binding != nil {
		writeBinding(b, c)
	}
	if len(c.Headroom) > 0 {
		fmt.Fprintf(b, "\nheadroom at %s (every other limit; saturates at: where it would reach 100%%)\n", fmtRate(c.SustainableRate))
		tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  kind\taccount\tname\tlimit\tuse\tsaturates at")
		for _, h := range c.Headroom {
			sat := "-"
			if h.SaturatesAt > 0 {
				sat = fmtRate(h.SaturatesAt)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", h.Kind, account(h), h.Name, limit(h), fmtPct(h.Utilisation), sat)
		}
		tw.Flush()
	}
	if len(c.Next) > 0 {
		fmt.Fprintln(b, "\nnext: raise the binding limit and search again")
		for i, s := range c.Next {
			fmt.Fprintf(b, "  %d. raise %s %s from %s to %s (--set %s): %s", i+1, s.Kind, s.Name,
				trimFloat(s.Limit), trimFloat(s.RaisedTo)+" "+s.Unit, s.Set, fmtRate(s.Rate))
			if s.Binding != nil {
				fmt.Fprintf(b, ", where %s %s binds (%s)", s.Binding.Kind, s.Binding.Name, fmtPct(s.Binding.Utilisation))
			}
			if s.End != EndConverged {
				fmt.Fprintf(b, " [%s]", s.End)
			}
			b.WriteString("\n")
		}
	}
	if c.Cost != nil {
		writeCost(b, c.Cost)
	}
	if len(c.Skipped) > 0 {
		fmt.Fprintln(b, "\nnot criteria of sustainability:")
		for _, s := range c.Skipped {
			fmt.Fprintf(b, "  %s: %s\n", s.Expectation, s.Why)
		}
	}
	writeProbes(b, c)
	_, err := io.WriteString(w, b.String())
	return err
}

func writeAnswer(b *strings.Builder, c *report.Capacity) {
	n := 0
	for _, p := range c.Probes {
		if p.Step == 0 {
			n++
		}
	}
	switch {
	case c.End == EndBelowMin:
		fmt.Fprintf(b, "not sustainable at any rate searched: %s (--min) already fails\n", fmtRate(c.LowestFailingRate))
	case c.End == EndAtMax:
		fmt.Fprintf(b, "sustainable rate: at least %s, the highest rate searched (--max; every probe passed)\n", fmtRate(c.SustainableRate))
	case c.SustainableRate == 0:
		fmt.Fprintf(b, "sustainable rate: none found yet (%s fails) · %s after %d probes\n", fmtRate(c.LowestFailingRate), c.End, n)
	default:
		fmt.Fprintf(b, "sustainable rate: %s peak", fmtRate(c.SustainableRate))
		if c.LowestFailingRate > 0 {
			fmt.Fprintf(b, " (%s fails)", fmtRate(c.LowestFailingRate))
		}
		fmt.Fprintf(b, " · %s after %d probes", c.End, n)
		if c.End == EndConverged {
			fmt.Fprintf(b, " (to %s)", fmtPct(c.Precision))
		}
		b.WriteString("\n")
	}
	if c.Interrupted {
		b.WriteString("interrupted: this is the best bracket found so far\n")
	}
}

func writeBinding(b *strings.Builder, c *report.Capacity) {
	x := c.Binding
	fmt.Fprintf(b, "binding: %s · %s", x.Kind, x.Name)
	if x.AccountName != "" {
		fmt.Fprintf(b, " · account %s", account(*x))
	}
	b.WriteString("\n")
	switch {
	case x.Kind != KindExpectation:
		fmt.Fprintf(b, "  limit %s", limit(*x))
		if x.PerOrder > 0 {
			fmt.Fprintf(b, "; %g %s per order: saturates at %s", x.PerOrder, perOrderUnit(x.Kind), fmtRate(x.SaturatesAt))
		}
		b.WriteString("\n")
		fmt.Fprintf(b, "  utilisation %s at %s", fmtPct(x.Utilisation), fmtRate(c.SustainableRate))
	case x.Utilisation > 0 || x.UtilisationAbove > 0:
		fmt.Fprintf(b, "  threshold %s; observed at %s of it at %s", limit(*x), fmtPct(x.Utilisation), fmtRate(c.SustainableRate))
	}
	if x.Kind != KindExpectation || x.Utilisation > 0 || x.UtilisationAbove > 0 {
		if c.LowestFailingRate > 0 {
			fmt.Fprintf(b, ", %s at %s", fmtPct(x.UtilisationAbove), fmtRate(c.LowestFailingRate))
		}
		b.WriteString("\n")
	}
	for _, e := range x.Evidence {
		fmt.Fprintf(b, "  at %s: %s\n", fmtRate(c.LowestFailingRate), e)
	}
	if x.Set != "" {
		fmt.Fprintf(b, "  change it: --set %s=N\n", x.Set)
	}
}

func writeCost(b *strings.Builder, c *report.CapacityCost) {
	fmt.Fprintf(b, "\ncost at %s: $%s per million orders (EventBridge only)\n", fmtRate(c.AtRate), money(c.USDPerMillion))
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	for _, l := range c.Lines {
		fmt.Fprintf(tw, "  %s\t%g per order\t× $%s per million\t= $%s\n", l.Item, l.PerOrder, money(l.USDPerMillion), money(l.USDPerMOrders))
	}
	tw.Flush()
	fmt.Fprintf(b, "  prices of %s, %s", c.Prices.Date, c.Prices.Region)
	if len(c.Prices.Overridden) > 0 {
		fmt.Fprintf(b, "; --price: %s", strings.Join(c.Prices.Overridden, ", "))
	}
	b.WriteString(" (sources in capacity.json; --price ITEM=USD changes one)\n")
}

func writeProbes(b *strings.Builder, c *report.Capacity) {
	if len(c.Probes) == 0 {
		return
	}
	fmt.Fprintln(b, "\nprobes")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  step\trate\tverdict\torders\te2e p99\tlost\tpeak backlog\twhy")
	for _, p := range c.Probes {
		verdict := "pass"
		if !p.Pass {
			verdict = "FAIL"
		}
		step := "search"
		if p.Step > 0 {
			step = fmt.Sprintf("next %d", p.Step)
		}
		why := ""
		if len(p.Why) > 0 {
			why = p.Why[0]
			if len(p.Why) > 1 {
				why += fmt.Sprintf(" (+%d more)", len(p.Why)-1)
			}
		}
		if p.Shortened {
			why = fmt.Sprintf("[%gs of traffic] %s", p.TrafficS, why)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", step, fmtRate(p.Rate), verdict, count(p.Orders),
			fmtMs(p.E2EP99Ms), count(p.Lost), count(p.PeakBacklog), why)
	}
	tw.Flush()
}

func account(c report.CapacityConstraint) string {
	if c.AccountName == "" {
		return "-"
	}
	return c.AccountName + " (" + c.Account + ")"
}

func limit(c report.CapacityConstraint) string {
	if c.Kind == KindExpectation && c.Limit == 0 {
		return c.Unit
	}
	return trimFloat(c.Limit) + " " + c.Unit
}

func money(usd float64) string { return fmt.Sprintf("%.2f", usd) }

// fmtMs prints a latency in milliseconds for people (- when none).
func fmtMs(ms float64) string {
	switch {
	case ms <= 0:
		return "-"
	case ms < 1000:
		return fmt.Sprintf("%.0fms", ms)
	}
	return fmt.Sprintf("%.2fs", ms/1000)
}
