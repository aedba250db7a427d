package backbone

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/sim"
	"github.com/busdrill/busdrill/topology"
)

// parseEntries reads one entry per input line:
//
//	[source=S] [detail-type=T] [detail=JSON] [bus=B] [time=DUR] [resources=a,b] [detail-bytes=N] [repeat=N]
//
// Missing keys default to source "busdrill.test", detail-type "Test",
// detail {} and the command's bus; a key given empty (source=) is empty.
// detail-bytes pads the detail to N bytes; repeat=N adds the entry N times.
func parseEntries(t *testing.T, d *datadriven.TestData, defBus string) []event.Entry {
	var out []event.Entry
	for _, line := range strings.Split(d.Input, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		kv, _ := args(strings.Fields(line))
		e := event.Entry{EventBusName: defBus, Source: "busdrill.test", DetailType: "Test", Detail: []byte("{}")}
		if v, ok := kv["source"]; ok {
			e.Source = v
		}
		if v, ok := kv["detail-type"]; ok {
			e.DetailType = v
		}
		if v, ok := kv["detail"]; ok {
			e.Detail = []byte(v)
		}
		if v, ok := kv["bus"]; ok {
			e.EventBusName = v
		}
		if v, ok := kv["time"]; ok {
			e.Time = sim.Time(mustDuration(t, d, v)).Wall()
		}
		if v, ok := kv["resources"]; ok {
			e.Resources = strings.Split(v, ",")
		}
		if v, ok := kv["detail-bytes"]; ok {
			n, _ := strconv.Atoi(v)
			e.Detail = []byte(`{"pad":"` + strings.Repeat("x", n-10) + `"}`)
		}
		n := 1
		if v, ok := kv["repeat"]; ok {
			n, _ = strconv.Atoi(v)
		}
		for i := 0; i < n; i++ {
			out = append(out, e)
		}
	}
	return out
}

// cmdPut publishes the input entries as account=NAME (bus=B is the
// default EventBusName) and prints the response.
func cmdPut(t *testing.T, h *harness, d *datadriven.TestData) string {
	m := h.model(t, d)
	a := cmdArgs(d)
	entries := parseEntries(t, d, a["bus"])
	resp := m.PutEvents(a["account"], entries)
	var b strings.Builder
	if resp.Err != nil {
		fmt.Fprintf(&b, "error %s %q\n", resp.Err.Code, resp.Err.Message)
	} else {
		fmt.Fprintf(&b, "ack=%s failed=%d\n", fmtTime(resp.AckAt), resp.FailedEntryCount)
		for i, r := range resp.Entries {
			if r.Failed() {
				fmt.Fprintf(&b, "%d %s %q\n", i, r.ErrorCode, r.ErrorMessage)
			} else {
				fmt.Fprintf(&b, "%d %s\n", i, h.alias(r.EventID))
			}
		}
	}
	// The response says the rest; drops at publish time (unknown bus) are
	// not in it.
	if out := h.printNew(map[Kind]bool{KindDropped: true}); out != "ok\n" {
		b.WriteString(out)
	}
	return b.String()
}

// cmdRoutes prints topology.ExpectedRoutes for an event described like a
// put entry, published by sender=NAME to bus=B.
func cmdRoutes(t *testing.T, h *harness, d *datadriven.TestData) string {
	m := h.model(t, d)
	a := cmdArgs(d)
	entries := parseEntries(t, d, a["bus"])
	var b strings.Builder
	for _, e := range entries {
		s, _ := m.names.Account(a["sender"])
		env := event.Envelope{ID: "x", DetailType: e.DetailType, Source: e.Source, Account: m.topo.Accounts[s].ID,
			Time: sim.Epoch, Region: m.region, Detail: e.Detail}
		rs := m.Router().ExpectedRoutes(a["sender"], e.EventBusName, &env)
		if len(rs) == 0 {
			b.WriteString("(none)\n")
		}
		for _, r := range rs {
			b.WriteString(r + "\n")
		}
	}
	return b.String()
}

// cmdAdvance runs the model for a duration and prints what happened:
// advance DUR [kinds=a,b|all].
func cmdAdvance(t *testing.T, h *harness, d *datadriven.TestData) string {
	m := h.model(t, d)
	var dur string
	for _, a := range d.CmdArgs {
		if len(a.Vals) == 0 {
			dur = a.Key
		}
	}
	m.RunUntil(m.Now().Add(mustDuration(t, d, dur)))
	return h.printNew(kindFilter(cmdArgs(d)["kinds"]))
}

// cmdRun runs the model until idle and prints what happened:
// run [kinds=a,b|all].
func cmdRun(t *testing.T, h *harness, d *datadriven.TestData) string {
	m := h.model(t, d)
	if !m.RunUntilIdle(10_000_000) {
		d.Fatalf(t, "model not idle after 10M events")
	}
	out := h.printNew(kindFilter(cmdArgs(d)["kinds"]))
	return out + "idle at " + fmtTime(m.Now()) + "\n"
}

// cmdDeliveries prints every delivery so far, optionally for one
// consumer=REF or sender=NAME.
func cmdDeliveries(t *testing.T, h *harness, d *datadriven.TestData) string {
	a := cmdArgs(d)
	var b strings.Builder
	for i := range h.log {
		o := &h.log[i]
		if o.Kind != KindDelivered || (a["consumer"] != "" && a["consumer"] != o.Consumer) || (a["sender"] != "" && a["sender"] != o.Sender) {
			continue
		}
		fmt.Fprintf(&b, "%s %s %s %s->%s", fmtTime(o.Time), h.alias(o.EventID), o.Env.DetailType, o.Sender, o.Consumer)
		if o.Duplicate {
			b.WriteString(" duplicate")
		}
		if o.Replay != "" {
			b.WriteString(" replay=" + o.Replay)
		}
		b.WriteString("\n")
	}
	if b.Len() == 0 {
		return "(none)\n"
	}
	return b.String()
}

// cmdDLQ prints the messages of a dead-letter queue (queue=REF) with their
// attributes.
func cmdDLQ(t *testing.T, h *harness, d *datadriven.TestData) string {
	q := cmdArgs(d)["queue"]
	var b strings.Builder
	for i := range h.log {
		o := &h.log[i]
		if o.Kind != KindDeadLettered || o.Queue != q {
			continue
		}
		fmt.Fprintf(&b, "%s %s\n", fmtTime(o.Time), h.alias(o.EventID))
		fmt.Fprintf(&b, "  RULE_ARN=%s\n  TARGET_ARN=%s\n  ERROR_CODE=%s\n  ERROR_MESSAGE=%s\n", o.RuleARN, o.TargetARN, o.Cause, o.Message)
		if o.Exhausted != "" {
			fmt.Fprintf(&b, "  EXHAUSTED_RETRY_CONDITION=%s\n", o.Exhausted)
		}
		fmt.Fprintf(&b, "  RETRY_ATTEMPTS=%d\n", o.Attempt)
	}
	if b.Len() == 0 {
		return "(empty)\n"
	}
	return b.String()
}

// cmdLost prints the ledger's loss attribution (KindRouteLost) so far.
func cmdLost(t *testing.T, h *harness, d *datadriven.TestData) string {
	var b strings.Builder
	for i := range h.log {
		if o := &h.log[i]; o.Kind == KindRouteLost {
			b.WriteString(h.fmtObs(o) + "\n")
		}
	}
	if b.Len() == 0 {
		return "(none)\n"
	}
	return b.String()
}

// cmdMetrics prints the non-zero metrics, optionally those whose scope
// starts with scope=PREFIX.
func cmdMetrics(t *testing.T, h *harness, d *datadriven.TestData) string {
	m := h.model(t, d)
	prefix := cmdArgs(d)["scope"]
	var b strings.Builder
	for _, x := range m.Metrics() {
		if strings.HasPrefix(x.Scope, prefix) {
			b.WriteString(x.String() + "\n")
		}
	}
	return b.String()
}

// cmdTrace prints the JSON trace lines recorded since the last trace
// command (what --trace writes).
func cmdTrace(t *testing.T, h *harness, d *datadriven.TestData) string {
	var b []byte
	for i := h.traced; i < len(h.log); i++ {
		b = h.log[i].AppendJSON(b)
		b = append(b, '\n')
	}
	h.traced = len(h.log)
	return string(b)
}

func result(err error) string {
	if err != nil {
		return "error " + err.Error() + "\n"
	}
	return "ok\n"
}

// cmdRuleState: disable-rule|enable-rule bus=REF rule=NAME.
func cmdRuleState(t *testing.T, h *harness, d *datadriven.TestData) string {
	m := h.model(t, d)
	a := cmdArgs(d)
	if d.Cmd == "disable-rule" {
		return result(m.DisableRule(a["bus"], a["rule"]))
	}
	return result(m.EnableRule(a["bus"], a["rule"]))
}

// cmdRemovePermission: remove-permission bus=REF sid=SID.
func cmdRemovePermission(t *testing.T, h *harness, d *datadriven.TestData) string {
	a := cmdArgs(d)
	return result(h.model(t, d).RemovePermission(a["bus"], a["sid"]))
}

// cmdPutPermission: put-permission bus=REF sid=SID principal=P [org=O].
func cmdPutPermission(t *testing.T, h *harness, d *datadriven.TestData) string {
	a := cmdArgs(d)
	return result(h.model(t, d).PutPermission(a["bus"], topology.Statement{Sid: a["sid"], Principal: a["principal"], OrgID: a["org"]}))
}

// cmdSetRole: set-role account=NAME role=ROLE allowed=BOOL.
func cmdSetRole(t *testing.T, h *harness, d *datadriven.TestData) string {
	a := cmdArgs(d)
	ok, _ := strconv.ParseBool(a["allowed"])
	return result(h.model(t, d).SetRoleAllowed(a["account"], a["role"], ok))
}

// cmdTargetOutage: target-outage ref=REF [code=CODE] (no code: restore).
func cmdTargetOutage(t *testing.T, h *harness, d *datadriven.TestData) string {
	a := cmdArgs(d)
	return result(h.model(t, d).SetAvailability(a["ref"], a["code"]))
}

// cmdHandlerFailure: handler-failure handler=REF p=P.
func cmdHandlerFailure(t *testing.T, h *harness, d *datadriven.TestData) string {
	a := cmdArgs(d)
	p, _ := strconv.ParseFloat(a["p"], 64)
	return result(h.model(t, d).SetHandlerFailureProbability(a["handler"], p))
}

// cmdStartReplay: start-replay name=N archive=A bus=REF start=DUR end=DUR
// [rules=a,b]; times are offsets from the run's epoch.
func cmdStartReplay(t *testing.T, h *harness, d *datadriven.TestData) string {
	a := cmdArgs(d)
	s := ReplaySpec{Name: a["name"], Archive: a["archive"], Destination: a["bus"],
		Start: sim.Time(mustDuration(t, d, a["start"])).Wall(), End: sim.Time(mustDuration(t, d, a["end"])).Wall()}
	if a["rules"] != "" {
		s.Rules = strings.Split(a["rules"], ",")
	}
	err := h.model(t, d).StartReplay(s)
	out := h.printNew(nil)
	if err != nil {
		return result(err)
	}
	return out
}

// cmdDescribeReplay: describe-replay name=N.
func cmdDescribeReplay(t *testing.T, h *harness, d *datadriven.TestData) string {
	info, err := h.model(t, d).DescribeReplay(cmdArgs(d)["name"])
	if err != nil {
		return result(err)
	}
	return fmt.Sprintf("%s %s last=%s\n", info.Name, info.State, info.EventLastReplayedTime.Format("15:04:05"))
}
