package backbone

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/topology"
)

// cmdParams sets model parameters; it must come before `topology`.
//
//	params seed=1 lag=5s dup=0.5 put-tps=2 put-burst=2 inv-tps=5 inv-burst=1
//	       max-bytes=262144 latency=default archive-lag=1m replay-start=30s
//	       replay-interval=1s denied-code=CROSS_ACCOUNT_INGESTION_FAILED
//	       backoff=1s,9m,0.2 account=A account-put-tps=T account-inv-tps=T
func cmdParams(t *testing.T, h *harness, d *datadriven.TestData) string {
	for k, v := range cmdArgs(d) {
		var err error
		switch k {
		case "seed":
			h.p.Seed, err = strconv.ParseUint(v, 10, 64)
		case "lag":
			h.p.ControlPlaneLag = mustDuration(t, d, v)
		case "dup":
			h.p.DuplicateProbability, err = strconv.ParseFloat(v, 64)
		case "put-tps":
			h.p.PutEventsTPS, err = strconv.ParseFloat(v, 64)
		case "put-burst":
			h.p.PutEventsBurst, err = strconv.Atoi(v)
		case "inv-tps":
			h.p.InvocationsTPS, err = strconv.ParseFloat(v, 64)
		case "inv-burst":
			h.p.InvocationsBurst, err = strconv.Atoi(v)
		case "max-bytes":
			h.p.MaxRequestBytes, err = strconv.Atoi(v)
		case "latency":
			h.p.Latency = DefaultParams().Latency
		case "archive-lag":
			h.p.ArchiveLag = rng.Constant{Value: float64(mustDuration(t, d, v))}
		case "replay-start":
			h.p.ReplayStartDelay = mustDuration(t, d, v)
		case "replay-interval":
			h.p.ReplayBucketInterval = mustDuration(t, d, v)
		case "denied-code":
			h.p.CrossAccountDeniedCode = v
		case "account", "account-put-tps", "account-inv-tps":
			// one account's quotas: below
		case "backoff":
			parts := strings.Split(v, ",")
			h.p.Backoff.Base = mustDuration(t, d, parts[0])
			h.p.Backoff.Cap = mustDuration(t, d, parts[1])
			h.p.Backoff.Jitter, err = strconv.ParseFloat(parts[2], 64)
		default:
			d.Fatalf(t, "unknown parameter %q", k)
		}
		if err != nil {
			d.Fatalf(t, "%s: %v", k, err)
		}
	}
	if kv := cmdArgs(d); kv["account"] != "" {
		q := AccountQuota{Account: kv["account"]}
		for k, dst := range map[string]*float64{"account-put-tps": &q.PutEventsTPS, "account-inv-tps": &q.InvocationsTPS} {
			if v, ok := kv[k]; ok {
				f, err := strconv.ParseFloat(v, 64)
				if err != nil {
					d.Fatalf(t, "%s: %v", k, err)
				}
				*dst = f
			}
		}
		h.p.AccountQuotas = append(h.p.AccountQuotas, q)
	}
	return "ok\n"
}

// cmdTopology builds the topology and the model. Arguments:
// reference=N services=a,b (start from topology.Reference); the input lines
// add to it (see parseTopologyLine). It prints validation problems, or a
// summary of the topology.
func cmdTopology(t *testing.T, h *harness, d *datadriven.TestData) string {
	a := cmdArgs(d)
	h.topo = &topology.Topology{}
	if n, ok := a["reference"]; ok {
		k, _ := strconv.Atoi(n)
		var svcs []topology.Service
		if s := a["services"]; s != "" {
			for _, name := range strings.Split(s, ",") {
				svcs = append(svcs, topology.Service{Name: name})
			}
		}
		h.topo = topology.Reference(k, svcs...)
	}
	for _, line := range strings.Split(d.Input, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := h.parseTopologyLine(line); err != nil {
			d.Fatalf(t, "%s: %v", line, err)
		}
	}
	if ps := h.topo.Validate(); len(ps) > 0 {
		var b strings.Builder
		for _, p := range ps {
			b.WriteString(p.String() + "\n")
		}
		return b.String()
	}
	h.p.Handlers = h.specs
	m, err := New(h.topo, h.p, h)
	if err != nil {
		d.Fatalf(t, "%v", err)
	}
	h.m = m
	return summarize(h.topo)
}

func summarize(tp *topology.Topology) string {
	var b strings.Builder
	for _, a := range tp.Accounts {
		fmt.Fprintf(&b, "account %s %s\n", a.Name, a.ID)
	}
	for i := range tp.Buses {
		bus := &tp.Buses[i]
		var allow []string
		for _, s := range bus.Policy {
			allow = append(allow, s.Principal)
		}
		fmt.Fprintf(&b, "bus %s allow=%s\n", bus.Ref(), strings.Join(allow, ","))
		for j := range bus.Rules {
			r := &bus.Rules[j]
			state := ""
			if !r.IsEnabled() {
				state = " DISABLED"
			}
			fmt.Fprintf(&b, "  rule %s%s %s\n", r.Name, state, r.Pattern)
			for _, tg := range r.Targets {
				dest := tg.Bus + tg.Queue + tg.Log + tg.Handler
				fmt.Fprintf(&b, "    target %s %s=%s", tg.ID, tg.Kind, dest)
				if tg.DLQ != "" {
					fmt.Fprintf(&b, " dlq=%s", tg.DLQ)
				}
				b.WriteString("\n")
			}
		}
	}
	return b.String()
}

// parseTopologyLine applies one line of the compact topology language:
//
//	account NAME ID [org=o-x]
//	bus ACCOUNT/BUS [allow=NAME,...] [org=o-x]
//	rule ACCOUNT/BUS/RULE [state=DISABLED] pattern=JSON...
//	target ACCOUNT/BUS/RULE/ID KIND=REF [role=R] [dlq=ACCOUNT/QUEUE] [retries=N] [max-age=SECONDS]
//	queue ACCOUNT/NAME
//	handler ACCOUNT/NAME [concurrency=N] [process=DUR] [fail=P] [retries=N] [max-rate=R] [publish=DETAILTYPE@BUSREF]
//	archive NAME bus=ACCOUNT/BUS [retention=DAYS] [pattern=JSON...]
//
// pattern= takes the rest of the line. A bus or rule line naming an
// existing bus or rule adds to it.
func (h *harness) parseTopologyLine(line string) error {
	rest := ""
	if i := strings.Index(line, "pattern="); i >= 0 {
		line, rest = strings.TrimSpace(line[:i]), line[i+len("pattern="):]
	}
	f := strings.Fields(line)
	if len(f) < 2 {
		return fmt.Errorf("too short")
	}
	kv, _ := args(f[2:])
	tp := h.topo
	parts := strings.Split(f[1], "/")
	switch f[0] {
	case "account":
		if len(f) < 3 {
			return fmt.Errorf("account NAME ID")
		}
		kv, _ = args(f[3:])
		tp.Accounts = append(tp.Accounts, topology.Account{Name: f[1], ID: f[2], OrgID: kv["org"]})
	case "bus":
		b := h.bus(parts[0], parts[1], true)
		if kv["allow"] != "" {
			for _, p := range strings.Split(kv["allow"], ",") {
				b.Policy = append(b.Policy, topology.Statement{Sid: "allow-" + strings.ReplaceAll(p, "*", "all"), Principal: p, OrgID: kv["org"]})
			}
		}
	case "rule":
		if len(parts) != 3 {
			return fmt.Errorf("rule ACCOUNT/BUS/RULE")
		}
		b := h.bus(parts[0], parts[1], false)
		if b == nil {
			return fmt.Errorf("no bus %s/%s", parts[0], parts[1])
		}
		b.Rules = append(b.Rules, topology.Rule{Name: parts[2], Pattern: rest, State: topology.RuleState(kv["state"])})
	case "target":
		if len(parts) != 4 {
			return fmt.Errorf("target ACCOUNT/BUS/RULE/ID")
		}
		r := h.rule(parts[0], parts[1], parts[2])
		if r == nil {
			return fmt.Errorf("no rule %s", strings.Join(parts[:3], "/"))
		}
		tg := topology.Target{ID: parts[3], Role: kv["role"], DLQ: kv["dlq"]}
		for _, k := range []topology.TargetKind{topology.KindBus, topology.KindQueue, topology.KindLog, topology.KindHandler} {
			if v, ok := kv[string(k)]; ok {
				tg.Kind = k
				switch k {
				case topology.KindBus:
					tg.Bus = v
				case topology.KindQueue:
					tg.Queue = v
				case topology.KindLog:
					tg.Log = v
				case topology.KindHandler:
					tg.Handler = v
				}
			}
		}
		if v, ok := kv["retries"]; ok {
			n, _ := strconv.Atoi(v)
			tg.Retry.MaximumRetryAttempts = topology.Int(n)
		}
		if v, ok := kv["max-age"]; ok {
			n, _ := strconv.Atoi(v)
			tg.Retry.MaximumEventAgeInSeconds = topology.Int(n)
		}
		r.Targets = append(r.Targets, tg)
	case "queue":
		tp.Queues = append(tp.Queues, topology.Queue{Account: parts[0], Name: parts[1]})
	case "handler":
		tp.Handlers = append(tp.Handlers, topology.Handler{Account: parts[0], Name: parts[1]})
		spec := HandlerSpec{Handler: f[1]}
		for k, v := range kv {
			var err error
			switch k {
			case "concurrency":
				spec.Concurrency, err = strconv.Atoi(v)
			case "process":
				var dur time.Duration
				dur, err = time.ParseDuration(v)
				spec.Process = rng.Constant{Value: float64(dur)}
			case "fail":
				spec.FailureProbability, err = strconv.ParseFloat(v, 64)
			case "max-rate":
				spec.MaxRate, err = strconv.ParseFloat(v, 64)
			case "retries":
				var n int
				n, err = strconv.Atoi(v)
				spec.RetryDelays = []time.Duration{}
				for i := 0; i < n; i++ {
					spec.RetryDelays = append(spec.RetryDelays, time.Minute<<i)
				}
			case "publish":
				dt, bus, _ := strings.Cut(v, "@")
				spec.OnSuccess = publisher(dt, bus)
			default:
				err = fmt.Errorf("unknown handler option %q", k)
			}
			if err != nil {
				return err
			}
		}
		if spec.Process == nil {
			spec.Process = rng.Constant{Value: 100e6}
		}
		h.specs = append(h.specs, spec)
	case "archive":
		days, _ := strconv.Atoi(kv["retention"])
		tp.Archives = append(tp.Archives, topology.Archive{Name: f[1], Bus: kv["bus"], Pattern: rest, RetentionDays: days})
	default:
		return fmt.Errorf("unknown topology line %q", f[0])
	}
	return nil
}

// publisher is the business logic of script handlers: publish one event of
// detail-type dt to bus, citing the event handled.
func publisher(dt, bus string) func(c *HandlerCall) {
	return func(c *HandlerCall) {
		detail, _ := json.Marshal(map[string]string{"in-reply-to": c.Env.ID})
		c.PutEvents([]event.Entry{{EventBusName: bus, Source: "busdrill." + c.Account, DetailType: dt, Detail: detail}})
	}
}

func (h *harness) bus(account, name string, create bool) *topology.Bus {
	for i := range h.topo.Buses {
		if b := &h.topo.Buses[i]; b.Account == account && b.Name == name {
			return b
		}
	}
	if !create {
		return nil
	}
	h.topo.Buses = append(h.topo.Buses, topology.Bus{Account: account, Name: name})
	return &h.topo.Buses[len(h.topo.Buses)-1]
}

func (h *harness) rule(account, bus, name string) *topology.Rule {
	b := h.bus(account, bus, false)
	if b == nil {
		return nil
	}
	for i := range b.Rules {
		if b.Rules[i].Name == name {
			return &b.Rules[i]
		}
	}
	return nil
}
