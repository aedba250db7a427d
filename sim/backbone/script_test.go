package backbone

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"

	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/sim"
	"github.com/busdrill/busdrill/topology"
)

// TestScripts runs the behaviour scripts in testdata/*.txt (see doc.go,
// "Script tests"). Regenerate the expected output with
//
//	go test ./sim/backbone -run TestScripts -rewrite
func TestScripts(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		h := newHarness()
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			f, ok := scriptCommands[d.Cmd]
			if !ok {
				d.Fatalf(t, "unknown command %q", d.Cmd)
			}
			return f(t, h, d)
		})
	})
}

// harness is the state of one script: the parameters and topology being
// built, the model, and everything the model observed.
type harness struct {
	p      Params
	topo   *topology.Topology
	specs  []HandlerSpec
	m      *Model
	log    []Observation
	shown  int // observations already printed by advance/run
	traced int // observations already printed by trace
	ids    map[string]string
}

func newHarness() *harness {
	p := DefaultParams()
	// Scripts use constant latencies so the expected output reads easily.
	p.Latency = Latency{
		Ack: rng.Constant{Value: 10e6}, Ingest: rng.Constant{Value: 10e6},
		Forward: rng.Constant{Value: 20e6}, Deliver: rng.Constant{Value: 10e6},
		Invoke: rng.Constant{Value: 10e6},
	}
	p.Seed = 1
	return &harness{p: p, ids: map[string]string{}}
}

type scriptCommand func(t *testing.T, h *harness, d *datadriven.TestData) string

var scriptCommands map[string]scriptCommand

func init() {
	scriptCommands = map[string]scriptCommand{
		"params":            cmdParams,
		"topology":          cmdTopology,
		"routes":            cmdRoutes,
		"put":               cmdPut,
		"advance":           cmdAdvance,
		"run":               cmdRun,
		"deliveries":        cmdDeliveries,
		"dlq":               cmdDLQ,
		"lost":              cmdLost,
		"metrics":           cmdMetrics,
		"trace":             cmdTrace,
		"disable-rule":      cmdRuleState,
		"enable-rule":       cmdRuleState,
		"remove-permission": cmdRemovePermission,
		"put-permission":    cmdPutPermission,
		"set-role":          cmdSetRole,
		"target-outage":     cmdTargetOutage,
		"handler-failure":   cmdHandlerFailure,
		"start-replay":      cmdStartReplay,
		"describe-replay":   cmdDescribeReplay,
	}
	for name, f := range faultScriptCommands { // script_faults_test.go
		scriptCommands[name] = f
	}
	scriptCommands["loads"] = cmdLoads // script_loads_test.go
}

func (h *harness) model(t *testing.T, d *datadriven.TestData) *Model {
	if h.m == nil {
		d.Fatalf(t, "no model: run `topology` first")
	}
	return h.m
}

// Observe records a copy of every observation.
func (h *harness) Observe(o *Observation) { h.log = append(h.log, *o) }

// alias names event ids e1, e2, ... in order of first appearance.
func (h *harness) alias(id string) string {
	if id == "" {
		return ""
	}
	if a, ok := h.ids[id]; ok {
		return a
	}
	a := "e" + strconv.Itoa(len(h.ids)+1)
	h.ids[id] = a
	return a
}

// args parses key=value tokens; a bare token is returned with value "".
func args(fields []string) (map[string]string, []string) {
	kv := map[string]string{}
	var order []string
	for _, f := range fields {
		k, v, _ := strings.Cut(f, "=")
		kv[k] = v
		order = append(order, k)
	}
	return kv, order
}

// cmdArgs returns the command's arguments as a map (single values).
func cmdArgs(d *datadriven.TestData) map[string]string {
	kv := map[string]string{}
	for _, a := range d.CmdArgs {
		kv[a.Key] = strings.Join(a.Vals, ",")
	}
	return kv
}

func mustDuration(t *testing.T, d *datadriven.TestData, s string) time.Duration {
	v, err := time.ParseDuration(s)
	if err != nil {
		d.Fatalf(t, "bad duration %q: %v", s, err)
	}
	return v
}

// fmtTime prints a virtual time as an offset, e.g. +1.02s.
func fmtTime(t sim.Time) string { return "+" + t.Duration().String() }

// fmtObs prints an observation on one line.
func (h *harness) fmtObs(o *Observation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", fmtTime(o.Time), o.Kind)
	if o.EventID != "" {
		b.WriteString(" " + h.alias(o.EventID))
	}
	where := o.Bus
	if o.Rule != "" {
		where += "/" + o.Rule
		if o.Target != "" {
			where += "/" + o.Target
		}
	}
	switch o.Kind {
	case KindPublishAccepted, KindPublishRejected:
		fmt.Fprintf(&b, " %s[%d]", o.Sender, o.Entry)
		if o.Bus != "" {
			b.WriteString(" -> " + o.Bus)
		}
	case KindRouteLost:
		b.WriteString(" " + o.Sender + "->" + o.Consumer + " at " + where)
	case KindControlApplied:
	default:
		if where != "" {
			b.WriteString(" " + where)
		}
	}
	if o.Queue != "" {
		b.WriteString(" queue=" + o.Queue)
	}
	if o.Cause != "" {
		b.WriteString(" " + o.Cause)
	}
	if o.Message != "" {
		b.WriteString(" " + strconv.Quote(o.Message))
	}
	if o.Attempt != 0 {
		fmt.Fprintf(&b, " attempt=%d", o.Attempt)
	}
	if o.Exhausted != "" {
		b.WriteString(" exhausted=" + o.Exhausted)
	}
	if o.Delay != 0 {
		b.WriteString(" delay=" + o.Delay.String())
	}
	if o.Replay != "" {
		b.WriteString(" replay=" + o.Replay)
	}
	if o.Duplicate {
		b.WriteString(" duplicate")
	}
	if o.DLQ {
		b.WriteString(" dlq")
	}
	return b.String()
}

// kindFilter parses kinds=a,b (names as Kind.String) into a set; nil means
// the default set of printed kinds.
func kindFilter(s string) map[Kind]bool {
	if s == "" {
		return nil
	}
	if s == "all" {
		return map[Kind]bool{}
	}
	set := map[Kind]bool{}
	for _, n := range strings.Split(s, ",") {
		for k := Kind(1); k < numKinds; k++ {
			if k.String() == n {
				set[k] = true
			}
		}
	}
	return set
}

// defaultShown are the kinds advance and run print unless told otherwise:
// everything but the per-hop bookkeeping.
var defaultShown = map[Kind]bool{
	KindPublishRejected: true, KindRuleDisabled: true, KindThrottled: true,
	KindForwarded: true, KindDelivered: true, KindHandlerFailed: true,
	KindRetryScheduled: true, KindDeadLettered: true, KindDropped: true,
	KindRouteLost: true, KindControlApplied: true, KindReplayState: true,
	KindReplayed: true, KindArchived: true,
}

// printNew prints the observations recorded since the last call.
func (h *harness) printNew(filter map[Kind]bool) string {
	if filter == nil {
		filter = defaultShown
	}
	var b strings.Builder
	for i := h.shown; i < len(h.log); i++ {
		if len(filter) > 0 && !filter[h.log[i].Kind] {
			continue
		}
		b.WriteString(h.fmtObs(&h.log[i]))
		b.WriteByte('\n')
	}
	h.shown = len(h.log)
	if b.Len() == 0 {
		return "ok\n"
	}
	return b.String()
}
