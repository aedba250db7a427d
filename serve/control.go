package serve

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/busdrill/busdrill/chaos"
	"github.com/busdrill/busdrill/internal/version"
	"github.com/busdrill/busdrill/internal/yamlstrict"
	"github.com/busdrill/busdrill/topology"
	"gopkg.in/yaml.v3"
)

// The control endpoints, loopback only:
//
//	GET    /_busdrill/health          {"status":"ok"}
//	GET    /_busdrill/info            version, region, scenario, seed, fault
//	                                  selection and clock, stand-ins, lag
//	GET    /_busdrill/resources       accounts, buses (policies, rules,
//	                                  targets), queues (message counts),
//	                                  archives, log-group deliveries
//	GET    /_busdrill/faults          the fault schedule and each fault's
//	                                  state (pending, active, done, failed)
//	POST   /_busdrill/faults          inject a fault now: body is one fault
//	                                  as a scenario writes it (YAML or JSON;
//	                                  "for" reverts it after that long)
//	DELETE /_busdrill/faults/NAME     clear an active fault now
//	GET    /_busdrill/metrics         Prometheus text: the CloudWatch
//	                                  metrics EventBridge publishes (per
//	                                  account, bus and rule), and serve's
//	                                  API calls, queues and log deliveries

func (s *Server) control(w http.ResponseWriter, r *http.Request) {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err != nil || !net.ParseIP(host).IsLoopback() {
		http.Error(w, "the control endpoints answer loopback clients only", http.StatusForbidden)
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/_busdrill/")
	var status int
	var out any
	var text string
	ok := s.loop.do(r.Context(), func(b *backend, reply func()) {
		defer reply()
		switch {
		case path == "health" && r.Method == http.MethodGet:
			out = map[string]string{"status": "ok"}
		case path == "info" && r.Method == http.MethodGet:
			out = s.info()
		case path == "resources" && r.Method == http.MethodGet:
			out = b.resources()
		case path == "metrics" && r.Method == http.MethodGet:
			text = b.prometheus()
		case path == "faults" && r.Method == http.MethodGet:
			out = b.faults.list()
		case path == "faults" && r.Method == http.MethodPost:
			out, status = b.faults.inject(s.opts, r)
		case strings.HasPrefix(path, "faults/") && r.Method == http.MethodDelete:
			out, status = b.faults.clear(strings.TrimPrefix(path, "faults/"))
		default:
			status, out = http.StatusNotFound, map[string]string{"error": "no such control endpoint: " + r.Method + " " + r.URL.Path}
		}
	})
	if !ok {
		return
	}
	if text != "" {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		io.WriteString(w, text)
		return
	}
	body, _ := json.MarshalIndent(out, "", "  ")
	w.Header().Set("Content-Type", "application/json")
	if status != 0 {
		w.WriteHeader(status)
	}
	w.Write(append(body, '\n'))
}

func (s *Server) info() map[string]any {
	o := s.opts
	m := map[string]any{
		"version": version.String(), "region": o.Region, "control_plane_lag": o.ControlPlaneLag.String(),
		"faults": o.Faults, "fault_clock": o.FaultClock, "stand_ins": o.StandIns,
	}
	if o.Scenario != nil {
		m["scenario"] = o.Scenario.Name
		seed := o.Scenario.Seed
		if o.SeedSet {
			seed = o.Seed
		}
		m["seed"] = seed
	}
	return m
}

func (b *backend) resources() map[string]any {
	type target struct {
		Id, Arn, Kind string
	}
	type rule struct {
		Name, Arn, State, EventPattern string
		Targets                        []target
	}
	type bus struct {
		Name, Arn string
		Policy    string `json:",omitempty"`
		Rules     []rule
	}
	type queueInfo struct {
		Url, Arn                   string
		Visible, InFlight, Delayed int
		DeadLetterQueue            string `json:",omitempty"`
		MaxReceiveCount            int    `json:",omitempty"`
	}
	type account struct {
		Id, Name string
		Buses    []bus
		Queues   []queueInfo
		Archives []string
	}
	var accts []account
	for _, id := range b.events.accountOrder {
		a := b.events.accounts[id]
		ac := account{Id: id, Name: a.name, Archives: slices.Sorted(maps.Keys(a.archives))}
		for _, bn := range slices.Sorted(maps.Keys(a.buses)) {
			eb := a.buses[bn]
			bs := bus{Name: eb.name, Arn: eb.arn, Policy: renderPolicy(eb.policy)}
			for _, rn := range slices.Sorted(maps.Keys(eb.rules)) {
				r := eb.rules[rn]
				ru := rule{Name: r.Name, Arn: r.Arn, State: r.State, EventPattern: r.EventPattern}
				for _, t := range r.targets {
					ru.Targets = append(ru.Targets, target{t.Id, t.Arn, string(t.kind)})
				}
				bs.Rules = append(bs.Rules, ru)
			}
			ac.Buses = append(ac.Buses, bs)
		}
		for _, ref := range slices.Sorted(maps.Keys(b.queues.byRef)) {
			q := b.queues.byRef[ref]
			if q.account != id {
				continue
			}
			v, f, d := b.queues.counts(q)
			ac.Queues = append(ac.Queues, queueInfo{Url: "/" + q.account + "/" + q.name, Arn: q.arn, Visible: v, InFlight: f, Delayed: d,
				DeadLetterQueue: q.dlq, MaxReceiveCount: q.maxReceive})
		}
		accts = append(accts, ac)
	}
	logs := map[string]uint64{}
	for k, v := range b.logs {
		logs[k] = v
	}
	return map[string]any{"accounts": accts, "log_deliveries": logs, "time": b.wall().UTC().Format(time.RFC3339Nano)}
}

// list is GET /_busdrill/faults.
func (fs *faultSchedule) list() map[string]any {
	type fault struct {
		Name, Kind, Target string
		Start, End         string
		State              string
	}
	out := []fault{}
	for _, name := range fs.order {
		for i := range fs.tl.Faults {
			f := &fs.tl.Faults[i]
			if f.Name == name {
				out = append(out, fault{f.Name, f.Kind, f.Target, f.Start.String(), f.End.String(), fs.states[name]})
			}
		}
	}
	m := map[string]any{"faults": out, "clock_started": fs.armed}
	if fs.armed {
		m["zero"] = fs.b.model.Wall(fs.zero).UTC().Format(time.RFC3339Nano)
	}
	return m
}

// inject is POST /_busdrill/faults: one fault, compiled against the
// scenario (or against the resources serve has now), applied at once.
func (fs *faultSchedule) inject(opts Options, r *http.Request) (any, int) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return map[string]string{"error": err.Error()}, http.StatusBadRequest
	}
	// "at" is now; without "for" a windowed fault lasts until cleared.
	var doc yaml.Node
	if err := yaml.Unmarshal(body, &doc); err != nil || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return map[string]string{"error": "the body must be one fault, a YAML or JSON mapping"}, http.StatusBadRequest
	}
	m := doc.Content[0]
	keys := map[string]string{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		keys[m.Content[i].Value] = m.Content[i+1].Value
	}
	add := func(k, v string) {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, &yaml.Node{Kind: yaml.ScalarNode, Value: v})
	}
	if _, ok := keys["at"]; !ok {
		add("at", "0s")
	}
	instant := keys["kind"] == chaos.KindReplay || keys["kind"] == chaos.KindRedrive
	if _, ok := keys["for"]; !ok && !instant {
		add("for", "87600h")
	}
	var spec chaos.Spec
	if err := yamlstrict.DecodeNode("fault", &doc, &spec); err != nil {
		return map[string]string{"error": err.Error()}, http.StatusBadRequest
	}
	env := fs.env(opts)
	if spec.Name == "" {
		spec.Name = fmt.Sprintf("%s-now-%d", spec.Kind, len(fs.order)+1)
	}
	if _, dup := fs.states[spec.Name]; dup {
		return map[string]string{"error": "a fault named " + spec.Name + " exists already"}, http.StatusConflict
	}
	tl, errs := chaos.Compile([]chaos.Spec{spec}, env)
	if len(errs) > 0 || len(tl.Faults) != 1 {
		return map[string]string{"error": errs.Error()}, http.StatusBadRequest
	}
	f := tl.Faults[0]
	if producerSide(&f) {
		return map[string]string{"error": f.Kind + " faults are the producer's, not the backbone's"}, http.StatusBadRequest
	}
	dur := f.End - f.Start
	f.Start = fs.b.now().Sub(fs.zero)
	f.End = f.Start + dur
	fs.tl.Faults = append(fs.tl.Faults, f)
	fs.order = append(fs.order, f.Name)
	fs.states[f.Name] = "pending"
	p := &fs.tl.Faults[len(fs.tl.Faults)-1]
	fs.apply(p)
	if st := fs.states[f.Name]; strings.HasPrefix(st, "failed") {
		return map[string]string{"error": st}, http.StatusBadRequest
	}
	if dur > 0 && !p.Instant() && !p.WholeRun {
		fs.b.at(fs.b.now().Add(dur), func() { fs.revert(p) })
	}
	return map[string]string{"name": f.Name, "state": fs.states[f.Name]}, http.StatusOK
}

// clear is DELETE /_busdrill/faults/NAME.
func (fs *faultSchedule) clear(name string) (any, int) {
	f := fs.active[name]
	if f == nil {
		return map[string]string{"error": "no active fault " + name}, http.StatusNotFound
	}
	fs.revert(f)
	return map[string]string{"name": name, "state": fs.states[name]}, http.StatusOK
}

// env is what a fault is compiled against: the scenario's, or (without
// one) the resources serve has now.
func (fs *faultSchedule) env(opts Options) chaos.Env {
	if sc := opts.Scenario; sc != nil {
		env := chaos.Env{Topology: sc.Topology, Services: map[string]chaos.ServiceRef{}, Cutoff: 100 * 365 * 24 * time.Hour}
		for _, svc := range sc.Services {
			env.Services[svc.Name] = chaos.ServiceRef{Account: svc.Account, Handler: svc.Handler, Consumer: svc.Consumer()}
		}
		return env
	}
	return chaos.Env{Topology: fs.b.topology(), Services: map[string]chaos.ServiceRef{}, Cutoff: 100 * 365 * 24 * time.Hour}
}

// topology snapshots the control-plane state as a topology, accounts
// named by id.
func (b *backend) topology() *topology.Topology {
	t := &topology.Topology{Region: b.region}
	for _, id := range b.events.accountOrder {
		a := b.events.accounts[id]
		t.Accounts = append(t.Accounts, topology.Account{Name: a.name, ID: id})
		for _, bn := range slices.Sorted(maps.Keys(a.buses)) {
			eb := a.buses[bn]
			tb := topology.Bus{Account: a.name, Name: bn, Policy: modelStatements(eb.policy)}
			for _, rn := range slices.Sorted(maps.Keys(eb.rules)) {
				r := eb.rules[rn]
				tr := topology.Rule{Name: rn, Pattern: r.EventPattern, State: topology.RuleState(r.State)}
				for _, tg := range r.targets {
					spec, kind, err := b.targetSpec(&tg.apiTarget)
					if err != nil {
						continue
					}
					tr.Targets = append(tr.Targets, topology.Target{ID: tg.Id, Kind: kind, Bus: spec.Bus, Role: spec.Role,
						Queue: spec.Queue, Log: spec.Log, Handler: spec.Handler, DLQ: spec.DLQ})
				}
				tb.Rules = append(tb.Rules, tr)
			}
			t.Buses = append(t.Buses, tb)
		}
	}
	for _, ref := range slices.Sorted(maps.Keys(b.queues.byRef)) {
		acct, name, _ := topology.SplitRef(ref)
		t.Queues = append(t.Queues, topology.Queue{Account: acct, Name: name})
	}
	return t
}
