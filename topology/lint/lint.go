package lint

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/pattern"
	"github.com/busdrill/busdrill/topology"
	"github.com/busdrill/busdrill/topology/assemble"
)

// Input is a backbone to lint, with what its source says beyond the
// topology.
type Input struct {
	Topology *topology.Topology
	// Source describes what is linted, for the report's first line.
	Source string
	// Locate maps a topology path to its place in the source; nil when
	// the source has none.
	Locate func(path string) assemble.Where
	// Notes of the import: each becomes a not-imported finding.
	Notes []assemble.Note
	// SLO is the end-to-end latency objective (0: none known), and
	// SLOSource where it comes from ("e2e.p99 < 8s", "--slo 8s").
	SLO       time.Duration
	SLOSource string
	// RedriveKnown says whether the source can show redrive plans;
	// Redrive holds the evidence per queue reference, and RedriveFix the
	// one-line fix for a DLQ without one.
	RedriveKnown bool
	Redrive      map[string]string
	RedriveFix   string
	// Queues are what a live import read of each queue (nil otherwise).
	Queues map[string]assemble.QueueFact
}

// RulesWarnFraction is how full a bus's rules quota must be for a warning.
const RulesWarnFraction = 0.8

// Run lints a backbone: every check of Checks, the fan-out matrix and the
// quota picture. It never fails: what it cannot analyse (a rule whose
// pattern does not compile) it leaves to the invalid-topology finding.
func Run(in Input) *Report {
	a := newAnalysis(in)
	r := &Report{Source: in.Source, Accounts: len(a.t.Accounts), Buses: len(a.t.Buses)}
	for _, b := range a.t.Buses {
		r.Rules += len(b.Rules)
		for _, rule := range b.Rules {
			r.Targets += len(rule.Targets)
		}
	}
	a.validity()
	a.quotas(r)
	a.routing(r)
	a.policies()
	a.loops()
	a.deliveries()
	a.rules()
	a.catchAll()
	a.queueFacts()
	a.importNotes()
	r.NotRun = a.notRun
	sort.SliceStable(a.findings, func(i, j int) bool {
		x, y := a.findings[i], a.findings[j]
		if x.Severity != y.Severity {
			return x.Severity > y.Severity
		}
		if cx, cy := checkIndex(x.Check), checkIndex(y.Check); cx != cy {
			return cx < cy
		}
		return pathLess(x.Path, y.Path)
	})
	r.Findings = a.findings
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	return r
}

// analysis is the state of one lint run.
type analysis struct {
	in  Input
	t   *topology.Topology
	x   *topology.Index
	lim topology.Limits
	// buses[b] holds the compiled rules of bus b.
	buses    []busRules
	scratch  pattern.Scratch
	hits     []int
	findings []Finding
	notRun   []string
	// probes: the sources and detail-types the patterns name, then "*"
	// (any other).
	sources, types []string
}

// busRules are a bus's rules whose patterns compile, in one matcher.
type busRules struct {
	matcher *pattern.Matcher
	// rule[i] is the index in Bus.Rules of the matcher's pattern i.
	rule []int
	// parsed[j] is rule j's pattern split at the top level (nil when it
	// does not compile).
	parsed []*topPattern
}

// other is the probe value standing for any value no pattern names.
const other = "*"

// Probe values for "*": no pattern of a sound topology names them.
const (
	otherSource = "busdrill.lint.any-other-source"
	otherType   = "Busdrill.Lint.AnyOtherType"
)

func newAnalysis(in Input) *analysis {
	t := in.Topology
	a := &analysis{in: in, t: t, x: topology.NewIndex(t), lim: limitsOf(t)}
	if a.in.Locate == nil {
		a.in.Locate = func(string) assemble.Where { return assemble.Where{} }
	}
	srcSeen, typeSeen := map[string]bool{}, map[string]bool{}
	a.buses = make([]busRules, len(t.Buses))
	for bi := range t.Buses {
		b := &t.Buses[bi]
		br := &a.buses[bi]
		var ps []*pattern.Pattern
		br.parsed = make([]*topPattern, len(b.Rules))
		for j := range b.Rules {
			p, err := pattern.Compile([]byte(b.Rules[j].Pattern))
			if err != nil {
				continue
			}
			ps = append(ps, p)
			br.rule = append(br.rule, j)
			tp := splitPattern(b.Rules[j].Pattern)
			br.parsed[j] = tp
			for _, s := range tp.values("source") {
				if !srcSeen[s] && len(a.sources) < maxProbeValues {
					srcSeen[s] = true
					a.sources = append(a.sources, s)
				}
			}
			for _, s := range tp.values("detail-type") {
				if !typeSeen[s] && len(a.types) < maxProbeValues {
					typeSeen[s] = true
					a.types = append(a.types, s)
				}
			}
		}
		br.matcher = pattern.NewMatcher(ps)
	}
	a.sources = append(a.sources, other)
	a.types = append(a.types, other)
	return a
}

// maxProbeValues bounds the sources and detail-types probed (each).
const maxProbeValues = 24

func limitsOf(t *topology.Topology) topology.Limits {
	l := topology.DefaultLimits(t.RegionOrDefault())
	if t.Limits.RulesPerBus > 0 {
		l.RulesPerBus = t.Limits.RulesPerBus
	}
	return l
}

// envelope is a probe event from an account.
func (a *analysis) envelope(accountID, source, detailType string) *event.Envelope {
	if source == other {
		source = otherSource
	}
	if detailType == other {
		detailType = otherType
	}
	return &event.Envelope{ID: "busdrill-lint", Source: source, DetailType: detailType, Account: accountID,
		Region: a.t.RegionOrDefault(), Detail: []byte("{}")}
}

// matching returns the indices (in Bus.Rules) of bus b's ENABLED rules
// that match env. The slice is reused by the next call.
func (a *analysis) matching(b int, env *event.Envelope) []int {
	br := &a.buses[b]
	// The lint's envelopes have an empty detail: nothing in them can
	// exhaust the matcher's array-consistency budget.
	a.hits, _ = br.matcher.Match(env, &a.scratch, a.hits[:0])
	out := a.hits[:0]
	for _, m := range a.hits {
		j := br.rule[m]
		if a.t.Buses[b].Rules[j].IsEnabled() {
			out = append(out, j)
		}
	}
	return out
}

// canPut reports whether account acct may PutEvents to bus b directly.
func (a *analysis) canPut(acct, b int) bool {
	owner, ok := a.x.Account(a.t.Buses[b].Account)
	return ok && topology.PolicyAllows(a.t.Buses[b].Policy, &a.t.Accounts[owner], &a.t.Accounts[acct])
}

// owner returns the account index of bus b (-1 when unknown).
func (a *analysis) owner(b int) int {
	i, ok := a.x.Account(a.t.Buses[b].Account)
	if !ok {
		return -1
	}
	return i
}

func (a *analysis) add(f Finding) {
	if f.Where.IsZero() && f.Path != "" {
		f.Where = a.in.Locate(f.Path)
	}
	a.findings = append(a.findings, f)
}

// accountLabel is "orders (222222222222)".
func (a *analysis) accountLabel(i int) string {
	return a.t.Accounts[i].Name + " (" + a.t.Accounts[i].ID + ")"
}

// labelOfID names an account id: "orders (222222222222)", or the id.
func (a *analysis) labelOfID(id string) string {
	if i, ok := a.x.Account(id); ok {
		return a.accountLabel(i)
	}
	return id
}

func busPath(b int) string          { return "buses[" + strconv.Itoa(b) + "]" }
func rulePath(b, j int) string      { return busPath(b) + ".rules[" + strconv.Itoa(j) + "]" }
func targetPath(b, j, k int) string { return rulePath(b, j) + ".targets[" + strconv.Itoa(k) + "]" }

// validity reports the topology's validation problems, except the quota
// ones the quota checks report themselves.
func (a *analysis) validity() {
	for _, p := range a.t.Validate() {
		if strings.HasSuffix(p.Path, ".rules") && strings.Contains(p.Msg, "quota") ||
			strings.HasSuffix(p.Path, ".targets") && strings.Contains(p.Msg, "limit") {
			continue
		}
		a.add(Finding{Check: "invalid-topology", Severity: Error, Resource: a.resourceOf(p.Path), Path: p.Path,
			Message: p.Msg, Fix: "correct it in the source: AWS refuses it as it is"})
	}
}

// resourceOf names the element at a topology path.
func (a *analysis) resourceOf(path string) string {
	idx := func(s, key string) (int, string, bool) {
		if !strings.HasPrefix(s, key+"[") {
			return 0, s, false
		}
		end := strings.IndexByte(s, ']')
		n, err := strconv.Atoi(s[len(key)+1 : end])
		return n, strings.TrimPrefix(s[end+1:], "."), err == nil
	}
	t := a.t
	if i, _, ok := idx(path, "accounts"); ok && i < len(t.Accounts) {
		return t.Accounts[i].Name
	}
	if i, _, ok := idx(path, "queues"); ok && i < len(t.Queues) {
		return t.Queues[i].Ref()
	}
	if i, _, ok := idx(path, "handlers"); ok && i < len(t.Handlers) {
		return t.Handlers[i].Ref()
	}
	if i, _, ok := idx(path, "archives"); ok && i < len(t.Archives) {
		return t.Archives[i].Name
	}
	b, rest, ok := idx(path, "buses")
	if !ok || b >= len(t.Buses) {
		return path
	}
	bus := &t.Buses[b]
	if s, _, ok := idx(rest, "policy"); ok && s < len(bus.Policy) {
		return bus.Ref() + " statement " + bus.Policy[s].Sid
	}
	j, rest, ok := idx(rest, "rules")
	if !ok || j >= len(bus.Rules) {
		return bus.Ref()
	}
	rule := &bus.Rules[j]
	if k, _, ok := idx(rest, "targets"); ok && k < len(rule.Targets) {
		return topology.TargetRef(bus, rule, &rule.Targets[k])
	}
	return topology.RuleRef(bus, rule)
}

// pathLess orders topology paths by their numbers, not as text.
func pathLess(x, y string) bool {
	for x != "" && y != "" {
		i, j := strings.IndexAny(x, "0123456789"), strings.IndexAny(y, "0123456789")
		if i < 0 || j < 0 || x[:i] != y[:j] {
			return x < y
		}
		x, y = x[i:], y[j:]
		ni, nj := 0, 0
		for ni < len(x) && x[ni] >= '0' && x[ni] <= '9' {
			ni++
		}
		for nj < len(y) && y[nj] >= '0' && y[nj] <= '9' {
			nj++
		}
		a, _ := strconv.Atoi(x[:ni])
		b, _ := strconv.Atoi(y[:nj])
		if a != b {
			return a < b
		}
		x, y = x[ni:], y[nj:]
	}
	return len(x) < len(y)
}

// quotas fills the quota picture and checks rules per bus and targets per
// rule against their limits.
func (a *analysis) quotas(r *Report) {
	for bi := range a.t.Buses {
		b := &a.t.Buses[bi]
		q := Quota{Bus: b.Ref(), Rules: len(b.Rules), RulesLimit: a.lim.RulesPerBus, TargetsLimit: topology.MaxTargetsPerRule}
		for j := range b.Rules {
			n := len(b.Rules[j].Targets)
			q.MaxTargets = max(q.MaxTargets, n)
			switch {
			case n > topology.MaxTargetsPerRule:
				a.add(Finding{Check: "quota-targets", Severity: Error, Resource: topology.RuleRef(b, &b.Rules[j]), Path: rulePath(bi, j) + ".targets",
					Message: fmt.Sprintf("the rule has %d targets; AWS allows %d per rule and refuses the sixth (LimitExceededException)", n, topology.MaxTargetsPerRule),
					Fix:     "split the targets over two rules with the same pattern"})
			case n == topology.MaxTargetsPerRule:
				a.add(Finding{Check: "quota-targets", Severity: Note, Resource: topology.RuleRef(b, &b.Rules[j]), Path: rulePath(bi, j) + ".targets",
					Message: fmt.Sprintf("the rule has %d targets, the fixed limit: it cannot take another", n),
					Fix:     "give the next consumer a rule of its own"})
			}
		}
		r.Quotas = append(r.Quotas, q)
		switch {
		case q.Rules > q.RulesLimit:
			a.add(Finding{Check: "quota-rules", Severity: Error, Resource: b.Ref(), Path: busPath(bi) + ".rules",
				Message: fmt.Sprintf("the bus has %d rules, over the quota of %d in %s: PutRule is refused", q.Rules, q.RulesLimit, a.t.RegionOrDefault()),
				Fix:     "request a higher Rules per event bus quota, or move consumers to another bus"})
		case float64(q.Rules) >= RulesWarnFraction*float64(q.RulesLimit):
			a.add(Finding{Check: "quota-rules", Severity: Warning, Resource: b.Ref(), Path: busPath(bi) + ".rules",
				Message: fmt.Sprintf("the bus has %d rules, %d%% of the quota of %d in %s", q.Rules, q.Rules*100/q.RulesLimit, q.RulesLimit, a.t.RegionOrDefault()),
				Fix:     "request a higher Rules per event bus quota before the next consumers arrive"})
		}
	}
}

// importNotes reports the import's notes.
func (a *analysis) importNotes() {
	for _, n := range a.in.Notes {
		sev := Warning
		if n.Severity == assemble.Info {
			sev = Note
		}
		a.add(Finding{Check: "not-imported", Severity: sev, Resource: n.Resource, Message: n.Msg, Where: n.Where,
			Fix: "check this part by hand: busdrill does not model it"})
	}
}

// FromImport is the input of an imported topology: its notes, where each
// element came from, and the facts of its source.
func FromImport(res *assemble.Result, source string) Input {
	return Input{
		Topology: res.Topology, Source: source, Locate: res.Locate, Notes: res.Notes,
		RedriveKnown: res.Facts.RedriveKnown, Redrive: res.Facts.Redrive, Queues: res.Facts.Queues,
	}
}
