package capacity

import (
	"context"
	"math"

	"github.com/busdrill/busdrill/report"
)

// next takes the next steps: raise the binding limit by opts.Raise and
// search again, from where the headroom predicts the next limit binds,
// until a limit cannot be raised (none binds, it has no --set name, or it
// is at AWS's maximum). It reports whether it was interrupted.
func next(ctx context.Context, subj *Subject, prev searched, opts Options, cfg SearchConfig, out *report.Capacity) bool {
	binding := out.Binding
	for step := 1; step <= opts.Next && opts.Next > 0; step++ {
		if binding == nil || binding.Set == "" || prev.pass == nil || prev.bracket.End != EndConverged {
			return false
		}
		raised, ok := raise(binding, opts.Raise)
		if !ok {
			return false
		}
		subj2, err := subj.With(Override{Key: binding.Set, Value: trimFloat(raised)})
		if err != nil {
			return false
		}
		c := cfg
		c.Precision = max(cfg.Precision, NextPrecision)
		c.Start = prev.bracket.Lo
		c.Hint = hint(prev.pass.constraints, *binding, raised)
		c.Max = max(cfg.Max, roundSig(subj2.MaxRate(), 3))
		if opts.Max > 0 {
			c.Max = opts.Max
		}
		s, err := search(ctx, subj2, c, step, opts, out)
		if err != nil {
			return false
		}
		st := report.CapacityStep{
			Kind: binding.Kind, Account: binding.Account, AccountName: binding.AccountName, Name: binding.Name,
			Limit: binding.Limit, RaisedTo: raised, Unit: binding.Unit, Set: binding.Set + "=" + trimFloat(raised),
			Rate: s.bracket.Lo, End: s.bracket.End,
		}
		if s.bracket.End == EndInterrupted {
			return true
		}
		st.Binding = explain(subj2, s.fail, s.pass)
		out.Next = append(out.Next, st)
		subj, prev, binding = subj2, s, st.Binding
	}
	return false
}

// raise is the binding limit raised by factor, within AWS's maxima for
// retry policies (185 attempts, 86,400 s); false when it cannot grow.
func raise(c *report.CapacityConstraint, factor float64) (float64, bool) {
	v := c.Limit * factor
	switch c.Kind {
	case KindRetryExhaustion:
		v = min(max(math.Round(v), c.Limit+1), 185)
	case KindEventAge:
		v = min(math.Round(v), 86400)
	case KindHandlerConcurrency:
		v = math.Round(v)
	case KindExpectation:
		return 0, false
	}
	v = roundSig(v, 6)
	return v, v > c.Limit
}

// hint predicts where the next limit binds once c is raised to raised:
// the lowest rate at which a linear constraint saturates, c's own scaled
// by the raise (0 when nothing linear is known).
func hint(cs []report.CapacityConstraint, c report.CapacityConstraint, raised float64) float64 {
	best := 0.0
	for _, x := range cs {
		if !linear(x.Kind) || x.SaturatesAt <= 0 {
			continue
		}
		at := x.SaturatesAt
		if keyOf(x) == keyOf(c) {
			at *= raised / c.Limit
		}
		if best == 0 || at < best {
			best = at
		}
	}
	return best
}
