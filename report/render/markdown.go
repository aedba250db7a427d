package render

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/busdrill/busdrill/report"
)

// Markdown writes summary.md: a short GitHub-flavoured Markdown summary
// for CI step summaries ($GITHUB_STEP_SUMMARY) and pull-request comments —
// the verdict, the expectations, the latency table, loss, duplicates,
// faults, quotas near their limit, and the reproduce command. It depends
// on r and meta alone.
func Markdown(w io.Writer, r *report.Results, meta Meta) error {
	var b strings.Builder
	mark := "✅"
	switch r.Verdict {
	case report.VerdictFail:
		mark = "❌"
	case "":
		mark = "➖"
	}
	fmt.Fprintf(&b, "### %s busdrill: %s — %s\n\n", mark, mdText(title(r)), verdictWord(r))
	fmt.Fprintf(&b, "%d of %d expectations met · busdrill %s · %s of traffic, cut-off at %s\n",
		metCount(r), len(r.Expectations), mdText(r.Version), fmtMs(r.Window.TrafficMs), fmtMs(r.Window.CutoffMs))
	if r.Interrupted {
		b.WriteString("\n> [!WARNING]\n> Interrupted: partial results of a run stopped before its cut-off.\n")
	}

	if len(r.Expectations) > 0 {
		b.WriteString("\n| | expectation | observed | threshold |\n|---|---|--:|--:|\n")
		for _, e := range r.Expectations {
			m := "✅"
			if !e.OK {
				m = "❌"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", m, mdCell(expectationName(e)), mdCell(e.Observed), mdCell(e.Threshold))
		}
	}

	o := r.Orders
	fmt.Fprintf(&b, "\n**Orders:** %s sent of %s planned, %s completed (%s), %s incomplete, %s late",
		fmtCount(o.Sent), fmtCount(o.Planned), fmtCount(o.Completed), fmtPct(ratio(o.Completed, o.Sent)),
		fmtCount(o.Incomplete), fmtCount(o.Late))
	if o.NotSent > 0 {
		fmt.Fprintf(&b, ", %s never sent (%s)", fmtCount(o.NotSent), mdText(fmtCauses(o.NotSentCauses)))
	}
	b.WriteString(".\n")

	names := latencyNames(r)
	if len(names) > 0 {
		b.WriteString("\n| latency | count | p50 | p90 | p99 | p99.9 | max |\n|---|--:|--:|--:|--:|--:|--:|\n")
		for _, n := range names {
			s := r.Latency[n]
			if s.Count == 0 {
				fmt.Fprintf(&b, "| %s | 0 | – | – | – | – | – |\n", mdCell(n))
				continue
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", mdCell(n), fmtCount(s.Count),
				fmtMs(s.P50), fmtMs(s.P90), fmtMs(s.P99), fmtMs(s.P999), fmtMs(s.Max))
		}
	}

	t := totalsOf(r)
	fmt.Fprintf(&b, "\n**Loss:** %s of %s expected deliveries (%s)", fmtCount(t.Lost()), fmtCount(t.Expected), fmtPct(t.LostRatio()))
	if len(t.Causes) > 0 && t.Lost() > 0 {
		fmt.Fprintf(&b, ": %s", mdText(fmtCauses(t.Causes)))
	}
	fmt.Fprintf(&b, "; %s in flight at cut-off; ", fmtCount(t.InFlight))
	if r.Ledger.Balanced {
		b.WriteString("the ledger balances.\n")
	} else {
		b.WriteString("**the ledger does not balance.**\n")
	}
	var lossy []string
	for _, rt := range r.Ledger.Routes {
		if lost := rt.DLQ + sum(rt.Dropped); lost > 0 || rt.Unexpected > 0 {
			s := fmt.Sprintf("`%s → %s`: %s", rt.From, rt.To, mdText(fmtCauses(lossCauses(rt))))
			if rt.Unexpected > 0 {
				s += fmt.Sprintf(", %s unexpected", fmtCount(rt.Unexpected))
			}
			lossy = append(lossy, s)
		}
	}
	for _, s := range lossy {
		fmt.Fprintf(&b, "- %s\n", s)
	}

	fmt.Fprintf(&b, "\n**Duplicates:** %s by event id, %s by business key; **idempotency violations:** %s",
		fmtCount(t.ByID), fmtCount(t.ByKey), fmtCount(r.Idempotency.Violations))
	if len(r.Idempotency.ByConsumer) > 0 {
		var parts []string
		for _, c := range slices.Sorted(maps.Keys(r.Idempotency.ByConsumer)) {
			parts = append(parts, fmt.Sprintf("`%s` %s", c, fmtCount(r.Idempotency.ByConsumer[c])))
		}
		fmt.Fprintf(&b, " (%s)", strings.Join(parts, ", "))
	}
	b.WriteString(".\n")

	if len(r.Faults) > 0 {
		b.WriteString("\n**Faults:** ")
		var parts []string
		for _, f := range r.Faults {
			parts = append(parts, fmt.Sprintf("%s (%s on `%s`, %s–%s)", mdText(f.Name), mdText(f.Kind), f.Target,
				fmtSeconds(f.StartMs/1000), fmtSeconds(f.EndMs/1000)))
		}
		b.WriteString(strings.Join(parts, "; ") + ".\n")
	}
	var hot []string
	for _, q := range r.Quotas {
		if q.Used >= 0.8 {
			hot = append(hot, fmt.Sprintf("%s of %s at %s (peak %s of %s)", q.Quota, mdText(q.Account), fmtPct(q.Used), fmtRate(q.Peak), fmtRate(q.Limit)))
		}
	}
	if len(hot) > 0 {
		fmt.Fprintf(&b, "\n**Quotas at 80%% or more:** %s.\n", strings.Join(hot, "; "))
	}
	if len(r.Anomalies) > 0 {
		fmt.Fprintf(&b, "\n**Anomalies:** %s.\n", mdText(fmtCauses(r.Anomalies)))
	}
	fmt.Fprintf(&b, "\nReproduce: `%s`\n", command(r, meta))
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCell escapes text for a table cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(mdText(s))
}

// mdText escapes the characters that would start Markdown or HTML
// formatting inside running text. Underscores stay (GitHub does not
// emphasise inside words: delivery_to_order_updated reads as is), and so
// does a "<" that cannot open a tag ("< 8s").
func mdText(s string) string {
	var b strings.Builder
	for i, c := range s {
		switch c {
		case '\\', '*', '`':
			b.WriteByte('\\')
		case '<':
			if i+1 < len(s) && (isLetter(s[i+1]) || strings.IndexByte("/!?", s[i+1]) >= 0) {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(c)
	}
	return b.String()
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
