package backbone

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/rng"
)

// faultScriptCommands are the script commands of the fault hooks
// (faults.go); script_test.go registers them.
var faultScriptCommands = map[string]scriptCommand{
	"putevents-quota":       cmdQuota,
	"invocations-quota":     cmdQuota,
	"entry-failure":         cmdEntryFailure,
	"duplicate-probability": cmdDuplicateProbability,
	"extra-latency":         cmdExtraLatency,
	"stall":                 cmdStall,
	"poison":                cmdPoison,
	"dlq-messages":          cmdDLQMessages,
	"redrive":               cmdRedrive,
	"statement":             cmdStatement,
}

// cmdQuota: putevents-quota|invocations-quota account=A tps=T [burst=B]
// (tps 0: the configured quota).
func cmdQuota(t *testing.T, h *harness, d *datadriven.TestData) string {
	m := h.model(t, d)
	a := cmdArgs(d)
	tps, _ := strconv.ParseFloat(a["tps"], 64)
	burst, _ := strconv.Atoi(a["burst"])
	var err error
	if d.Cmd == "putevents-quota" {
		err = m.SetPutEventsQuota(a["account"], tps, burst)
	} else {
		err = m.SetInvocationsQuota(a["account"], tps, burst)
	}
	return h.applied(err)
}

// applied prints the error, or the observations of the change.
func (h *harness) applied(err error) string {
	if err != nil {
		return result(err)
	}
	return h.printNew(nil)
}

// cmdEntryFailure: entry-failure account=A code=C p=P.
func cmdEntryFailure(t *testing.T, h *harness, d *datadriven.TestData) string {
	a := cmdArgs(d)
	p, _ := strconv.ParseFloat(a["p"], 64)
	return h.applied(h.model(t, d).SetEntryFailure(a["account"], a["code"], p))
}

// cmdDuplicateProbability: duplicate-probability p=P (negative: the
// configured one); prints the value in force.
func cmdDuplicateProbability(t *testing.T, h *harness, d *datadriven.TestData) string {
	m := h.model(t, d)
	p, _ := strconv.ParseFloat(cmdArgs(d)["p"], 64)
	out := h.applied(m.SetDuplicateProbability(p))
	return out + fmt.Sprintf("in force: %g\n", m.DuplicateProbability())
}

// cmdExtraLatency: extra-latency hop=H [ref=R] [const=DUR | uniform=MIN,MAX]
// (neither: restore).
func cmdExtraLatency(t *testing.T, h *harness, d *datadriven.TestData) string {
	a := cmdArgs(d)
	var dist rng.Dist
	if v, ok := a["const"]; ok {
		dist = rng.Constant{Value: float64(mustDuration(t, d, v))}
	}
	if v, ok := a["uniform"]; ok {
		lo, hi, _ := strings.Cut(v, ",")
		dist = rng.Uniform{Min: float64(mustDuration(t, d, lo)), Max: float64(mustDuration(t, d, hi))}
	}
	return h.applied(h.model(t, d).SetExtraLatencyAt(a["hop"], a["ref"], dist))
}

// cmdStall: stall handler=H [stalled=BOOL] (default true). Runs started
// by an unstall are printed.
func cmdStall(t *testing.T, h *harness, d *datadriven.TestData) string {
	a := cmdArgs(d)
	stalled := true
	if v, ok := a["stalled"]; ok {
		stalled, _ = strconv.ParseBool(v)
	}
	err := h.model(t, d).StallHandler(a["handler"], stalled)
	if err != nil {
		return result(err)
	}
	return h.printNew(map[Kind]bool{KindControlApplied: true, KindHandlerStarted: true})
}

// cmdPoison: poison handler=H [match=S]: runs on events whose detail
// contains S fail; no match restores.
func cmdPoison(t *testing.T, h *harness, d *datadriven.TestData) string {
	a := cmdArgs(d)
	var f func(env *event.Envelope) bool
	if s, ok := a["match"]; ok {
		f = func(env *event.Envelope) bool { return strings.Contains(string(env.Detail), s) }
	}
	return h.applied(h.model(t, d).SetPoison(a["handler"], f))
}

// cmdDLQMessages: dlq-messages queue=Q: what Model.DLQMessages returns.
func cmdDLQMessages(t *testing.T, h *harness, d *datadriven.TestData) string {
	msgs := h.model(t, d).DLQMessages(cmdArgs(d)["queue"])
	if len(msgs) == 0 {
		return "(empty)\n"
	}
	var b strings.Builder
	for _, x := range msgs {
		fmt.Fprintf(&b, "%s %s %s sender=%s target=%s\n", fmtTime(x.Time), h.alias(x.Env.ID), x.Env.DetailType, x.Sender, x.Target)
		fmt.Fprintf(&b, "  RULE_ARN=%s\n  TARGET_ARN=%s\n  ERROR_CODE=%s\n  ERROR_MESSAGE=%s\n", x.RuleARN, x.TargetARN, x.ErrorCode, x.ErrorMessage)
		if x.ExhaustedRetryCondition != "" {
			fmt.Fprintf(&b, "  EXHAUSTED_RETRY_CONDITION=%s\n", x.ExhaustedRetryCondition)
		}
		fmt.Fprintf(&b, "  RETRY_ATTEMPTS=%d\n", x.RetryAttempts)
	}
	return b.String()
}

// cmdRedrive: redrive queue=Q [max=N]: prints the count and the
// observations (KindRedriven with the route it puts back in flight).
func cmdRedrive(t *testing.T, h *harness, d *datadriven.TestData) string {
	a := cmdArgs(d)
	max, _ := strconv.Atoi(a["max"])
	n, err := h.model(t, d).Redrive(a["queue"], max)
	if err != nil {
		return result(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "redriven %d\n", n)
	for i := h.shown; i < len(h.log); i++ {
		o := &h.log[i]
		b.WriteString(h.fmtObs(o))
		if o.Kind == KindRedriven {
			b.WriteString(" route " + o.Sender + "->" + o.Consumer)
		}
		b.WriteByte('\n')
	}
	h.shown = len(h.log)
	return b.String()
}

// cmdStatement: statement bus=B sid=S: the statement in force.
func cmdStatement(t *testing.T, h *harness, d *datadriven.TestData) string {
	a := cmdArgs(d)
	st, ok := h.model(t, d).Statement(a["bus"], a["sid"])
	if !ok {
		return "(none)\n"
	}
	return fmt.Sprintf("sid=%s principal=%s org=%s action=%s\n", st.Sid, st.Principal, st.OrgID, st.Action)
}
