package scenarios

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/busdrill/busdrill/chaos"
	"github.com/busdrill/busdrill/scenarios/livespec"

	"github.com/busdrill/busdrill/internal/readfile"
	"github.com/busdrill/busdrill/internal/yamlstrict"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/topology"
)

// Scenario is a loaded, validated scenario: everything a run needs.
type Scenario struct {
	// File is where it was loaded from ("builtin:reference" for the
	// embedded library).
	File        string
	Name        string
	Description string
	Seed        uint64

	Topology *topology.Topology
	Services []Service
	Traffic  Traffic
	Drain    time.Duration
	// Model is the model section: what the scenario overrides of the
	// in-memory model's defaults (sim/world.ParamsFor applies it).
	Model Model
	// Faults is the compiled fault timeline.
	Faults *chaos.Timeline
	Expect []Expectation
	Source []byte
	// Spec is the file as decoded, before expansion.
	Spec *File
	// Live is the scenario's live section, or nil.
	Live *livespec.Config

	// loc maps paths of Topology back to the file (see Locate).
	loc *locator
}

// Locate returns where the file wrote the element of Topology at tpath (a
// path as topology.Problem spells it, e.g. "buses[0].rules[1]"), and that
// element's path in the file ("topology.buses[0].rules[1]", or the service
// that generated it). The position is zero when it is unknown.
func (s *Scenario) Locate(tpath string) (yamlstrict.Pos, string) {
	if s.loc == nil {
		return yamlstrict.Pos{}, tpath
	}
	return s.loc.locate(tpath)
}

// Service is a resolved service stand-in.
type Service struct {
	Name    string
	Account string
	// Handler is the handler reference, "account/name".
	Handler string
	// Bus is the consumed bus, "account/bus".
	Bus string
	On  string
	// Emit is the detail-type published after processing, or "".
	Emit string
	// Relay, when set, makes the service a gateway republishing what it
	// consumes with this source.
	Relay string
	// EmitTo is the bus it publishes to, "account/bus".
	EmitTo      string
	Idempotency Idempotency
	// Concurrency is how many events it processes at once; 0 is the
	// model's default (1,000).
	Concurrency int
	// Processing is its processing time per event (ns); nil is the
	// model's default.
	Processing rng.Dist
	// FailureProbability is the chance that one processing fails.
	FailureProbability float64
	// MaxRate is the throughput limit of its target, per second (0: none).
	MaxRate float64
}

// Idempotency is a service's deduplication strategy.
type Idempotency struct {
	Strategy string
	Window   time.Duration
}

// Traffic is the compiled order traffic.
type Traffic struct {
	Arrivals loadgen.Arrivals
	Payload  rng.Dist
	Origins  []loadgen.Origin
	// Bus is where orders are published, "account/bus".
	Bus string
}

// Expectation is a parsed expectation with its place in the file.
type Expectation struct {
	Name string
	Cond report.Condition
	// Window is where it is evaluated: "" (all), "steady",
	// "during:FAULT" or "after:FAULT".
	Window string
	// NoDataPasses: the scenario's no_data: pass.
	NoDataPasses bool
	Pos          yamlstrict.Pos
}

// Conditions are the expectations as the report evaluates them.
func (s *Scenario) Conditions() []report.NamedCondition {
	out := make([]report.NamedCondition, len(s.Expect))
	for i, e := range s.Expect {
		out[i] = report.NamedCondition{Name: e.Name, Cond: e.Cond, Window: e.Window, NoDataPasses: e.NoDataPasses}
	}
	return out
}

// Defaults of optional keys.
const (
	DefaultSeed        = 1
	DefaultDrain       = 2 * time.Minute
	DefaultConcurrency = 1000
	DefaultPayload     = 1000 // bytes
	DefaultIdemWindow  = 24 * time.Hour
)

// JourneyTypes are the detail-types of an order journey, in order.
var JourneyTypes = []string{"Order.Created", "Delivery.Updated", "Order.Updated"}

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// LoadFile reads and loads a scenario file. Files over MaxFileBytes, and
// anything that is not a regular file (a device, a pipe), are refused
// before they are read.
func LoadFile(path string, opts LoadOptions) (*Scenario, error) {
	data, err := readfile.Read(path, MaxFileBytes)
	if err != nil {
		return nil, err
	}
	return Load(path, data, opts)
}

// Load decodes and validates a scenario. Every problem is reported, each
// at its file, line and column with its field path, as a
// yamlstrict.Errors.
func Load(filename string, data []byte, opts LoadOptions) (*Scenario, error) {
	var f File
	var errs yamlstrict.Errors
	if err := yamlstrict.Decode(filename, data, &f); err != nil {
		// Keep going: the semantic checks below run on what did decode,
		// so one report lists every problem, not just the syntax ones.
		// A file that does not parse at all has nothing more to check.
		var es yamlstrict.Errors
		if !errors.As(err, &es) || f.Origin.Pos.IsZero() {
			return nil, err
		}
		errs = append(errs, es...)
	}
	s := &Scenario{File: filename, Name: f.Name, Description: strings.TrimSpace(f.Description), Seed: f.Seed, Source: data, Spec: &f}
	if !f.Origin.Has("seed") {
		s.Seed = DefaultSeed
	}
	if f.Origin.Has("name") && !nameRE.MatchString(f.Name) {
		errs.Add(f.Origin.At("name"), "name", fmt.Errorf("%q is not a valid name: use lower-case letters, digits and dashes (it names the results folder)", f.Name))
	}
	s.Drain = f.Drain.D()
	if !f.Origin.Has("drain") {
		s.Drain = DefaultDrain
	}

	loc := newLocator()
	t := expandTopology(&f, loc, &errs)
	if t != nil {
		checkTargets(&f, &errs)
		s.Services = addServices(&f, t, loc, &errs)
		for _, p := range t.Validate() {
			if strings.HasSuffix(p.Path, ".kind") {
				// Scenario files never write a target's kind: it is
				// inferred, and checkTargets explains a missing one.
				continue
			}
			pos, path := loc.locate(p.Path)
			if decodeFailedUnder(errs, path) {
				continue // one mistake, one message: decoding named it
			}
			if pos.IsZero() {
				pos = f.Topology.Origin.Pos
			}
			errs.Add(pos, path, errors.New(p.Msg))
		}
		s.Topology = t
		s.loc = loc
		trafficFailed := decodeFailedUnder(errs, "traffic")
		before := len(errs)
		if f.Origin.Has("traffic") { // else the decoder reported it missing
			s.Traffic = compileTraffic(&f, t, s.Services, trafficFailed, &errs)
		}
		if !trafficFailed && len(errs) == before && f.Origin.Has("traffic") {
			checkCeilings(s, &f, opts, &errs)
		}
	}
	s.Model = resolveModel(&f, &errs)
	for i, e := range f.Expect {
		c, err := report.ParseCondition(e.That)
		if err != nil {
			errs.Add(e.Pos, fmt.Sprintf("expect[%d]", i), err)
			continue
		}
		name := e.Name
		if name == "" {
			name = c.String()
		}
		s.Expect = append(s.Expect, Expectation{Name: name, Cond: c, Window: e.Window, NoDataPasses: e.NoData == "pass", Pos: e.Pos})
	}
	if t != nil {
		env := chaos.Env{Topology: t, Services: map[string]chaos.ServiceRef{}, Cutoff: s.Traffic.duration() + s.Drain}
		for _, svc := range s.Services {
			env.Services[svc.Name] = chaos.ServiceRef{Account: svc.Account, Handler: svc.Handler, Consumer: svc.Consumer()}
		}
		var ferrs yamlstrict.Errors
		s.Faults, ferrs = chaos.Compile(f.Faults, env)
		for _, e := range ferrs {
			if !decodeFailedUnder(errs, e.Path) { // one mistake, one message
				errs = append(errs, e)
			}
		}
		for i, e := range f.Expect {
			if refersToBroken(e, s.Faults.Broken) {
				continue // the fault's own problem is reported
			}
			if err := checkWindow(e.Window, s.Faults); err != nil {
				errs.Add(e.Pos, fmt.Sprintf("expect[%d].window", i), err)
				continue
			}
			if c, err := report.ParseCondition(e.That); err == nil {
				if err := c.Validate(e.Window, s.Faults.Names()); err != nil {
					errs.Add(e.Pos, fmt.Sprintf("expect[%d]", i), err)
				}
			}
		}
	}
	if f.Origin.Has("vary") && s.Faults != nil {
		if _, err := ParseVariation(f.Vary, append(s.Faults.Names(), s.Faults.Broken...)); err != nil {
			errs.Add(f.Origin.At("vary"), "vary", err)
		}
	}
	if f.Live != nil {
		s.Live = f.Live
		for _, err := range f.Live.Validate() {
			errs.Add(f.Origin.At("live"), "live", err)
		}
	}
	for _, e := range errs {
		if e.Line == 0 {
			// Every problem names a place: the document's start for what
			// concerns the whole file.
			e.File, e.Line, e.Column = filename, 1, 1
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// refersToBroken reports whether an expectation names a fault that did
// not compile, in its window or a recovery metric.
func refersToBroken(e ExpectSpec, broken []string) bool {
	c, _ := report.ParseCondition(e.That)
	for _, b := range broken {
		if strings.HasSuffix(e.Window, ":"+b) || c.Metric == "recovery."+b || c.Ref == "recovery."+b {
			return true
		}
	}
	return false
}

// checkWindow checks an expectation's window against the faults.
func checkWindow(w string, tl *chaos.Timeline) error {
	if w == "" || w == "all" || w == "steady" {
		return nil
	}
	kind, name, ok := strings.Cut(w, ":")
	if !ok || (kind != "during" && kind != "after") {
		return fmt.Errorf("window %q: use all, steady, during:FAULT or after:FAULT", w)
	}
	for i := range tl.Faults {
		if tl.Faults[i].Name == name {
			if tl.Faults[i].Instant() && kind == "during" {
				return fmt.Errorf("window %q: %s happens at an instant; it has no during", w, name)
			}
			return nil
		}
	}
	return fmt.Errorf("window %q: no fault named %q (faults: %s)", w, name, strings.Join(tl.Names(), ", "))
}

// checkTargets reports targets with no destination. (Several
// destinations are reported by the topology validator, which names the
// extra one.)
func checkTargets(f *File, errs *yamlstrict.Errors) {
	for i := range f.Topology.Buses {
		for j := range f.Topology.Buses[i].Rules {
			for k := range f.Topology.Buses[i].Rules[j].Targets {
				tg := &f.Topology.Buses[i].Rules[j].Targets[k]
				if tg.Bus == "" && tg.Queue == "" && tg.Log == "" && tg.Handler == "" {
					errs.Add(tg.Origin.Pos, tg.Origin.Path, errors.New("a target needs one of bus, queue, log or handler"))
				}
			}
		}
	}
}

// decodeFailedUnder reports whether decoding already found a problem in
// the section at path, whose zero values would only cause echoes.
func decodeFailedUnder(errs yamlstrict.Errors, path string) bool {
	for _, e := range errs {
		if e.Path == path || strings.HasPrefix(e.Path, path+".") || strings.HasPrefix(e.Path, path+"[") {
			return true
		}
	}
	return false
}
