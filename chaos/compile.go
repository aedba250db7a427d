package chaos

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/busdrill/busdrill/internal/suggest"
	"github.com/busdrill/busdrill/internal/yamlstrict"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/topology"
)

// Env is what faults are checked against when they are compiled.
type Env struct {
	Topology *topology.Topology
	// Services maps a service name to its handler ("account/name") and
	// the consumer reference of the rule target that invokes it.
	Services map[string]ServiceRef
	// Cutoff is the end of the run: a whole-run fault lasts until then.
	Cutoff time.Duration
}

// ServiceRef locates a service stand-in.
type ServiceRef struct {
	Account, Handler, Consumer string
}

// Fault is a compiled fault: its resolved target and its window.
type Fault struct {
	Name, Kind string
	// Target names what the fault hits, for the timeline.
	Target string
	// Start and End bound the fault; End == Start for an instant fault
	// (a remediation).
	Start, End time.Duration
	// WholeRun marks a probabilistic fault given no window.
	WholeRun bool
	// Stream names the fault's own random stream.
	Stream string

	Account, Bus, Rule, Sid, Role, Mode, EntryError, Code, Hop string
	Handler, Ref                                               string
	Probability, PutEventsTPS, InvocationsTPS                  float64
	Extra                                                      rng.Dist
	Archive                                                    string
	From, To                                                   time.Duration
	Rules                                                      []string
	Queue                                                      string
}

// ControlPlane reports whether the fault is made through EventBridge's
// control plane (DisableRule, RemovePermission, a role's policy), whose
// changes take effect only after the propagation lag.
func (f *Fault) ControlPlane() bool { return f.Kind == KindDisable || f.Kind == KindRevoke }

// Instant reports whether the fault happens at one instant (a remediation).
func (f *Fault) Instant() bool { return kinds[f.Kind].instant }

// Compile checks fault specs against env and returns the timeline, sorted
// by start. Every problem is reported, at its line.
func Compile(specs []Spec, env Env) (*Timeline, yamlstrict.Errors) {
	c := compiler{env: env, names: map[string]bool{}}
	tl := &Timeline{}
	count := map[string]int{}
	for i := range specs {
		count[specs[i].Kind]++
		if f, ok := c.fault(&specs[i], count[specs[i].Kind]); ok {
			tl.Faults = append(tl.Faults, f)
		} else if specs[i].Name != "" {
			tl.Broken = append(tl.Broken, specs[i].Name)
		}
	}
	sort.SliceStable(tl.Faults, func(i, j int) bool { return tl.Faults[i].Start < tl.Faults[j].Start })
	return tl, c.errs
}

type compiler struct {
	env   Env
	names map[string]bool
	errs  yamlstrict.Errors
}

func (c *compiler) errorf(s *Spec, key, format string, args ...any) {
	pos, path := s.Origin.Pos, s.Origin.Path
	if key != "" && s.Origin.Has(key) {
		pos, path = s.Origin.At(key), s.Origin.PathOf(key)
	}
	c.errs.Add(pos, path, fmt.Errorf(format, args...))
}

func (c *compiler) fault(s *Spec, n int) (Fault, bool) {
	info, ok := kinds[s.Kind]
	if !ok {
		return Fault{}, false // the decoder's enum check reported it
	}
	before := len(c.errs)
	for _, key := range s.Origin.Keys() {
		switch key {
		case "name", "kind", "at", "for":
			continue
		}
		if !slices.Contains(info.keys, key) {
			c.errorf(s, key, "%s does not apply to a %s fault (it takes %s)", key, s.Kind, strings.Join(info.keys, ", "))
		}
	}
	f := Fault{Name: s.Name, Kind: s.Kind}
	if f.Name == "" {
		f.Name = fmt.Sprintf("%s-%d", s.Kind, n)
	}
	if c.names[f.Name] {
		c.errorf(s, "name", "duplicate fault name %q", f.Name)
	}
	c.names[f.Name] = true
	f.Stream = "faults/" + f.Name
	c.window(s, &f, info)
	c.resolve(s, &f)
	return f, len(c.errs) == before
}

// probabilistic kinds may last the whole run when given no window.
func probabilistic(s *Spec) bool {
	switch s.Kind {
	case KindDuplicate, KindPoison, KindOversize:
		return true
	case KindThrottle:
		return s.EntryError != ""
	}
	return false
}

func (c *compiler) window(s *Spec, f *Fault, info kindInfo) {
	hasAt, hasFor := s.Origin.Has("at"), s.Origin.Has("for")
	switch {
	case info.instant:
		if !hasAt {
			c.errorf(s, "", "a %s happens at an instant: give at", s.Kind)
		}
		if hasFor {
			c.errorf(s, "for", "a %s happens at an instant: it takes at, not for", s.Kind)
		}
		f.Start, f.End = s.At.D(), s.At.D()
	case !hasAt && !hasFor && probabilistic(s):
		f.WholeRun, f.Start, f.End = true, 0, c.env.Cutoff
	case !hasAt || !hasFor:
		c.errorf(s, "", "a %s fault needs a window: give at and for", s.Kind)
	case s.For.D() <= 0:
		c.errorf(s, "for", "for must be positive")
	default:
		f.Start, f.End = s.At.D(), s.At.D()+s.For.D()
	}
	if f.Start > c.env.Cutoff {
		c.errorf(s, "at", "the fault starts at %v, after the run ends (%v)", f.Start, c.env.Cutoff)
	}
}

func (c *compiler) resolve(s *Spec, f *Fault) {
	t := c.env.Topology
	x := topology.NewIndex(t)
	needBus := func() (*topology.Bus, bool) {
		if s.Bus == "" {
			c.errorf(s, "", "a %s fault needs bus", s.Kind)
			return nil, false
		}
		b, ok := x.Bus(s.Bus)
		if !ok {
			c.errorf(s, "bus", "unknown bus %q%s (write account/bus)", s.Bus, didYouMean(s.Bus, busRefs(t)))
			return nil, false
		}
		return &t.Buses[b], true
	}
	needService := func() (ServiceRef, bool) {
		svc, ok := c.env.Services[s.Service]
		if !ok {
			c.errorf(s, "service", "unknown service %q%s", s.Service, c.serviceNames())
		}
		return svc, ok
	}
	needProbability := func() {
		if !s.Origin.Has("probability") || s.Probability.Float() <= 0 {
			c.errorf(s, "probability", "a %s fault needs a probability above 0", s.Kind)
		}
		f.Probability = s.Probability.Float()
	}
	switch s.Kind {
	case KindThrottle:
		if _, ok := x.Account(s.Account); !ok || s.Account == "" {
			c.errorf(s, "account", "a throttle fault needs the account it throttles; %q is not one%s", s.Account, didYouMean(s.Account, accountNames(t)))
		}
		f.Account, f.Target = s.Account, s.Account
		f.PutEventsTPS, f.InvocationsTPS, f.EntryError = s.PutEvents.PerSecond(), s.Invocations.PerSecond(), s.EntryError
		if f.PutEventsTPS == 0 && f.InvocationsTPS == 0 && f.EntryError == "" {
			c.errorf(s, "", "a throttle fault needs putevents, invocations or entry_error")
		}
		if f.EntryError != "" {
			needProbability()
		} else if s.Origin.Has("probability") {
			c.errorf(s, "probability", "probability goes with entry_error")
		}
	case KindDisable:
		b, ok := needBus()
		if !ok {
			return
		}
		if !slices.ContainsFunc(b.Rules, func(r topology.Rule) bool { return r.Name == s.Rule }) {
			c.errorf(s, "rule", "bus %s has no rule %q%s", s.Bus, s.Rule, didYouMean(s.Rule, ruleNames(b)))
		}
		f.Bus, f.Rule, f.Target = s.Bus, s.Rule, s.Bus+"/"+s.Rule
	case KindRevoke:
		c.revoke(s, f, x, needBus)
	case KindDuplicate:
		if s.Mode == "" {
			c.errorf(s, "", "a duplicate fault needs mode: producer-timeout or redelivery")
		}
		needProbability()
		f.Mode, f.Target = s.Mode, s.Mode
	case KindOutage:
		switch {
		case (s.Service == "") == (s.Target == ""):
			c.errorf(s, "", "an outage needs service or target (one of them)")
		case s.Service != "":
			if svc, ok := needService(); ok {
				f.Ref, f.Target = svc.Handler, svc.Handler
			}
		default:
			if !c.isConsumer(s.Target) {
				c.errorf(s, "target", "no rule target %q (write account/bus/rule/target)", s.Target)
			}
			f.Ref, f.Target = s.Target, s.Target
		}
		f.Code = s.Code
		if f.Code == "" {
			f.Code = DefaultOutageCode
		}
	case KindLatency:
		if s.Hop == "" || s.Extra.IsZero() {
			c.errorf(s, "", "a latency fault needs hop and extra")
		}
		f.Hop, f.Extra, f.Target = s.Hop, s.Extra.Rng(), s.Hop
	case KindStall:
		if svc, ok := needService(); ok {
			f.Handler, f.Target = svc.Handler, svc.Handler
		}
	case KindPoison:
		if svc, ok := needService(); ok {
			f.Handler, f.Target = svc.Handler, svc.Handler
		}
		needProbability()
	case KindOversize:
		needProbability()
		f.Target = "orders"
	case KindReplay:
		if !slices.ContainsFunc(t.Archives, func(a topology.Archive) bool { return a.Name == s.Archive }) {
			c.errorf(s, "archive", "unknown archive %q%s", s.Archive, didYouMean(s.Archive, archiveNames(t)))
		}
		if s.To.D() <= s.From.D() {
			c.errorf(s, "to", "the replayed window must end after it starts (from %v, to %v)", s.From.D(), s.To.D())
		}
		if s.At.D() < s.To.D() {
			c.errorf(s, "at", "a replay of events up to %v cannot start at %v, before they happened", s.To.D(), s.At.D())
		}
		f.Archive, f.From, f.To, f.Rules, f.Target = s.Archive, s.From.D(), s.To.D(), s.Rules, s.Archive
	case KindRedrive:
		if _, ok := x.Queue(s.Queue); !ok {
			c.errorf(s, "queue", "unknown queue %q%s (write account/queue)", s.Queue, didYouMean(s.Queue, queueRefs(t)))
		}
		f.Queue, f.Target = s.Queue, s.Queue
	}
}

func (c *compiler) revoke(s *Spec, f *Fault, x *topology.Index, needBus func() (*topology.Bus, bool)) {
	switch {
	case s.Role != "":
		if s.Bus != "" || s.Sid != "" || s.Account != "" {
			c.errorf(s, "role", "give either role, or bus with sid or account")
			return
		}
		acct, role, ok := topology.SplitRef(s.Role)
		if !ok || !c.roleUsed(acct, role) {
			c.errorf(s, "role", "no bus target uses role %q (write account/role)", s.Role)
			return
		}
		f.Account, f.Role, f.Target = acct, role, s.Role
	case s.Sid != "" && s.Account != "":
		c.errorf(s, "sid", "give sid or account, not both")
	case s.Sid != "" || s.Account != "":
		b, ok := needBus()
		if !ok {
			return
		}
		sid := s.Sid
		if sid == "" {
			sid = c.statementFor(b, x, s.Account)
			if sid == "" {
				c.errorf(s, "account", "no statement of %s's policy allows %q", s.Bus, s.Account)
				return
			}
		} else if !slices.ContainsFunc(b.Policy, func(st topology.Statement) bool { return st.Sid == sid }) {
			c.errorf(s, "sid", "%s's policy has no statement %q%s", s.Bus, sid, didYouMean(sid, sids(b)))
			return
		}
		f.Bus, f.Sid, f.Account, f.Target = s.Bus, sid, s.Account, s.Bus+"#"+sid
	default:
		c.errorf(s, "", "a revoke-permission fault needs bus with sid or account, or role")
	}
}

// statementFor finds the statement of b's policy that names account as
// its principal.
func (c *compiler) statementFor(b *topology.Bus, x *topology.Index, account string) string {
	a, ok := x.Account(account)
	if !ok {
		return ""
	}
	acct := c.env.Topology.Accounts[a]
	for _, st := range b.Policy {
		if st.Principal == acct.Name || st.Principal == acct.ID {
			return st.Sid
		}
	}
	return ""
}

func (c *compiler) roleUsed(account, role string) bool {
	for _, b := range c.env.Topology.Buses {
		if b.Account != account {
			continue
		}
		for _, r := range b.Rules {
			for _, tg := range r.Targets {
				if tg.Role == role {
					return true
				}
			}
		}
	}
	return false
}

func (c *compiler) isConsumer(ref string) bool {
	for i := range c.env.Topology.Buses {
		b := &c.env.Topology.Buses[i]
		for j := range b.Rules {
			for k := range b.Rules[j].Targets {
				if topology.TargetRef(b, &b.Rules[j], &b.Rules[j].Targets[k]) == ref {
					return true
				}
			}
		}
	}
	return false
}

func (c *compiler) serviceNames() string {
	names := make([]string, 0, len(c.env.Services))
	for n := range c.env.Services {
		names = append(names, n)
	}
	sort.Strings(names)
	return " (services: " + strings.Join(names, ", ") + ")"
}

// didYouMean is `; did you mean "x"?` for the name closest to got, or "".
func didYouMean(got string, names []string) string {
	if s := suggest.Closest(got, names); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	return ""
}

func accountNames(t *topology.Topology) []string {
	var out []string
	for _, a := range t.Accounts {
		out = append(out, a.Name)
	}
	return out
}

func busRefs(t *topology.Topology) []string {
	var out []string
	for _, b := range t.Buses {
		out = append(out, b.Ref())
	}
	return out
}

func queueRefs(t *topology.Topology) []string {
	var out []string
	for _, q := range t.Queues {
		out = append(out, q.Account+"/"+q.Name)
	}
	return out
}

func archiveNames(t *topology.Topology) []string {
	var out []string
	for _, a := range t.Archives {
		out = append(out, a.Name)
	}
	return out
}

func ruleNames(b *topology.Bus) []string {
	var out []string
	for _, r := range b.Rules {
		out = append(out, r.Name)
	}
	return out
}

func sids(b *topology.Bus) []string {
	var out []string
	for _, st := range b.Policy {
		out = append(out, st.Sid)
	}
	return out
}
