package scenarios

import (
	"fmt"
	"slices"
	"strings"

	"github.com/busdrill/busdrill/event"

	"github.com/busdrill/busdrill/internal/suggest"
	"github.com/busdrill/busdrill/internal/yamlstrict"
	"github.com/busdrill/busdrill/topology"
)

// ServiceTarget is the target id of the rule that feeds a service.
const ServiceTarget = "handler"

// addServices adds each service's handler, and the rule that feeds it from
// its bus, to t. A service given neither on nor pattern plays a handler
// declared in topology.handlers instead: the topology's own rules invoke
// it, and it adds no rule and no handler.
func addServices(f *File, t *topology.Topology, loc *locator, errs *yamlstrict.Errors) []Service {
	defBus := defaultBus(f, t)
	accounts := map[string]bool{}
	for _, a := range t.Accounts {
		accounts[a.Name] = true
	}
	declared := map[string]bool{}
	for i := range t.Handlers {
		declared[t.Handlers[i].Ref()] = true
	}
	names := map[string]int{}
	var out []Service
	for i := range f.Services {
		sp := &f.Services[i]
		o := &sp.Origin
		if j, dup := names[sp.Name]; dup {
			errs.Add(o.At("name"), o.PathOf("name"), fmt.Errorf("duplicate service name %q (first used by services[%d])", sp.Name, j))
			continue
		}
		names[sp.Name] = i
		if !accounts[sp.Account] {
			errs.Add(o.At("account"), o.PathOf("account"), fmt.Errorf("unknown account %q%s", sp.Account, suggestAccount(t, sp.Account)))
			continue
		}
		handler := sp.Account + "/" + sp.Name
		plays := sp.On == "" && sp.Pattern.IsZero() && declared[handler]
		var busRef string
		b := -1
		if plays {
			if o.Has("bus") {
				errs.Add(o.At("bus"), o.PathOf("bus"), fmt.Errorf("bus is the bus of the rule feeding a service; %s plays the declared handler %s, which the topology's rules invoke", sp.Name, handler))
			}
			busRef = invokingBus(t, handler)
		} else {
			busName := sp.Bus
			if busName == "" {
				busName = topology.RefLocalBus
			}
			busRef = sp.Account + "/" + busName
			b = slices.IndexFunc(t.Buses, func(b topology.Bus) bool { return b.Ref() == busRef })
			if b < 0 {
				errs.Add(o.At("bus"), o.PathOf("bus"), fmt.Errorf("account %s has no bus %q", sp.Account, busName))
				continue
			}
		}
		svc := Service{
			Name: sp.Name, Account: sp.Account, Handler: handler, Bus: busRef,
			On: sp.On, Emit: sp.Emit, EmitTo: sp.EmitTo, Relay: sp.Relay,
			Idempotency: Idempotency{Strategy: sp.Idempotency.Strategy, Window: sp.Idempotency.Window.D()},
			Concurrency: sp.Concurrency, Processing: distOrNil(sp.Processing), FailureProbability: sp.Failure.Float(),
			MaxRate: sp.MaxRate.PerSecond(),
		}
		if svc.Idempotency.Strategy == "" {
			svc.Idempotency.Strategy = IdempotencyNone
		}
		if svc.Idempotency.Window == 0 {
			svc.Idempotency.Window = DefaultIdemWindow
		}
		if svc.Emit != "" && !slices.Contains(JourneyTypes, svc.Emit) {
			errs.Add(o.At("emit"), o.PathOf("emit"), fmt.Errorf("cannot emit %q: a service emits one of %s", svc.Emit, strings.Join(JourneyTypes, ", ")))
		}
		switch {
		case sp.On != "" && !sp.Pattern.IsZero():
			errs.Add(o.Pos, o.Path, fmt.Errorf("give on (a detail-type) or pattern, one of them"))
		case !plays && sp.On == "" && sp.Pattern.IsZero():
			errs.Add(o.Pos, o.Path, fmt.Errorf("give on (a detail-type) or pattern, one of them (or declare %s in topology.handlers for a service that plays a handler the topology's rules invoke)", handler))
		}
		if svc.Relay != "" && svc.Emit != "" {
			errs.Add(o.At("relay"), o.PathOf("relay"), fmt.Errorf("a relay republishes what it consumes: it takes no emit"))
		}
		if (svc.Emit != "" || svc.Relay != "") && svc.EmitTo == "" {
			if svc.EmitTo = defBus; defBus == "" {
				errs.Add(o.Pos, o.Path, fmt.Errorf("emit_to is required: the topology has no global bus to default to"))
			}
		}
		if svc.EmitTo != "" && !slices.ContainsFunc(t.Buses, func(b topology.Bus) bool { return b.Ref() == svc.EmitTo }) {
			errs.Add(o.At("emit_to"), o.PathOf("emit_to"), fmt.Errorf("unknown bus %q (write account/bus)", svc.EmitTo))
		}
		if sp.Concurrency < 0 {
			errs.Add(o.At("concurrency"), o.PathOf("concurrency"), fmt.Errorf("concurrency must be positive"))
		}
		if plays {
			if sp.Retry != nil || sp.DLQ != "" {
				errs.Add(o.Pos, o.Path, fmt.Errorf("retry and dlq belong to the rule target that invokes a service; %s plays a declared handler: set them on the topology's handler targets", sp.Name))
			}
			out = append(out, svc)
			continue
		}
		if !declared[handler] {
			loc.generated(fmt.Sprintf("handlers[%d]", len(t.Handlers)), o.Pos, o.Path)
			t.Handlers = append(t.Handlers, topology.Handler{Account: sp.Account, Name: sp.Name})
		}
		bus := &t.Buses[b]
		loc.generated(fmt.Sprintf("buses[%d].rules[%d]", b, len(bus.Rules)), o.Pos, o.Path)
		bus.Rules = append(bus.Rules, topology.Rule{
			Name:        sp.Name,
			Pattern:     servicePattern(sp),
			State:       topology.Enabled,
			Description: "feeds service " + sp.Name,
			Targets: []topology.Target{{
				ID: ServiceTarget, Kind: topology.KindHandler, Handler: svc.Handler,
				Retry: convertRetry(sp.Retry), DLQ: sp.DLQ,
			}},
		})
		out = append(out, svc)
	}
	return out
}

// invokingBus is the bus of the first rule with a target invoking handler,
// or "" when no rule does: the bus a service playing that handler is
// observed on in live runs.
func invokingBus(t *topology.Topology, handler string) string {
	for i := range t.Buses {
		for _, r := range t.Buses[i].Rules {
			for _, tg := range r.Targets {
				if tg.Kind == topology.KindHandler && tg.Handler == handler {
					return t.Buses[i].Ref()
				}
			}
		}
	}
	return ""
}

// Consumer is the consumer reference of the rule target that invokes the
// service: "account/bus/rule/target". (A service that plays a declared
// handler is invoked by the topology's own targets; this names the target
// a feeding rule would have.)
func (s Service) Consumer() string { return s.Bus + "/" + s.Name + "/" + ServiceTarget }

// defaultBus is where orders and emitted events go when the file does not
// say: the global bus of the reference shorthand, or a bus named global.
func defaultBus(f *File, t *topology.Topology) string {
	if f.Topology.Reference != nil && len(t.Buses) > 0 {
		return t.Buses[0].Ref()
	}
	for _, b := range t.Buses {
		if b.Name == topology.RefGlobalBus {
			return b.Ref()
		}
	}
	return ""
}

func suggestAccount(t *topology.Topology, name string) string {
	var names []string
	for _, a := range t.Accounts {
		names = append(names, a.Name)
	}
	if s := suggest.Closest(name, names); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	return " (accounts: " + strings.Join(names, ", ") + ")"
}

// servicePattern is the pattern of the rule feeding a service.
func servicePattern(sp *ServiceSpec) string {
	if !sp.Pattern.IsZero() {
		return sp.Pattern.JSON
	}
	return `{"detail-type":[` + string(event.AppendJSONString(nil, sp.On)) + `]}`
}
