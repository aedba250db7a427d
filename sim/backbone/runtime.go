package backbone

import (
	"strconv"
	"time"

	"github.com/busdrill/busdrill/pattern"

	"github.com/busdrill/busdrill/topology"
)

// The runtime control plane: accounts, buses, queues, rules, targets,
// policies and archives created, changed and removed after New, as an
// API client (busdrill serve) does. The simulator never calls these: a
// scenario's topology is fixed at New and its faults use control.go.
//
// Timing follows AWS's consistency model as the package doc describes
// it: rule, target and policy changes (PutRule, DeleteRule, PutTarget,
// RemoveTarget, SetPolicy) are eventually consistent and apply
// ControlPlaneLag after the call, in call order, resolving names when
// they apply (so a PutRule followed at once by a PutTarget works);
// accounts, buses, queues and archives exist from the call on.
//
// Slots are kept stable for the events in flight: a deleted bus keeps its
// slot (and its reference: a bus created again with the same name takes
// it back); a deleted rule's slot and a removed target's slot are reused
// by the next rule or target of their bus or rule, and a reused target
// slot gets a new generation, so that an invocation scheduled for the
// old target (a retry, a duplicate) is dropped with cause
// "target-removed" instead of reaching the new one. Memory is bounded by
// the largest number of rules and targets that existed at once and by
// the distinct bus and queue references ever named (MaxSlots each).

// MaxSlots bounds the distinct bus references, queue references and
// target roles the runtime control plane keeps slots for.
const MaxSlots = 10000

// TargetSpec is one target of a rule, as PutTargets gives it.
type TargetSpec struct {
	// ID is unique within the rule.
	ID   string
	Kind topology.TargetKind
	// Bus is the destination bus reference of a bus target; Role the IAM
	// role name (in the rule's account) it assumes, "" for none.
	Bus  string
	Role string
	// Queue is the queue reference of a queue target.
	Queue string
	// Log is the log group name of a log target.
	Log string
	// Handler is the handler reference of a handler target; a handler the
	// model does not know fails its invocations with NO_RESOURCE.
	Handler string
	Retry   topology.RetryPolicy
	// DLQ is the dead-letter queue reference, "" for none.
	DLQ string
}

// AddAccount makes an account known (an account that first appears as a
// caller, or in an ARN). It returns the account's index; an account known
// by that Name or ID already is returned as it is.
func (m *Model) AddAccount(a topology.Account) int {
	if i, ok := m.names.Account(a.Name); ok {
		return i
	}
	if a.ID != "" {
		if i, ok := m.names.Account(a.ID); ok {
			return i
		}
	}
	i := len(m.accounts)
	q := m.accountQuota(a.Name)
	m.accounts = append(m.accounts, accountState{
		name: a.Name, id: a.ID, info: a, quota: q,
		put: newBucket(q.PutEventsTPS, q.PutEventsBurst),
		inv: newBucket(q.InvocationsTPS, q.InvocationsBurst),
	})
	m.names.AddAccount(a.Name, a.ID, i)
	m.namesChanged()
	m.growFaults()
	return i
}

// AccountName returns the Name of the account with that Name or ID.
func (m *Model) AccountName(nameOrID string) (string, bool) {
	i, ok := m.names.Account(nameOrID)
	if !ok {
		return "", false
	}
	return m.accounts[i].name, true
}

func (m *Model) splitAccount(ref string) (int, string, error) {
	acct, name, ok := topology.SplitRef(ref)
	if !ok {
		return -1, "", &APIError{Code: CodeValidation, Message: "Reference " + strconv.Quote(ref) + " is not account/name."}
	}
	a, ok := m.names.Account(acct)
	if !ok {
		return -1, "", &APIError{Code: CodeResourceNotFound, Message: "Account " + acct + " does not exist."}
	}
	return a, name, nil
}

// busSlot returns the slot of a bus reference, creating a deleted one
// (a bus that does not exist) when the reference has none.
func (m *Model) busSlot(ref string) (int, error) {
	if m.busSlots == nil {
		m.busSlots = make(map[string]int, len(m.buses))
		// Backwards, so that the first of duplicate references wins.
		for b := len(m.buses) - 1; b >= 0; b-- {
			m.busSlots[m.buses[b].ref] = b
		}
	}
	if b, ok := m.busSlots[ref]; ok {
		return b, nil
	}
	a, name, err := m.splitAccount(ref)
	if err != nil {
		return -1, err
	}
	if len(m.buses) >= MaxSlots {
		return -1, &APIError{Code: CodeLimitExceeded, Message: "The requested resource exceeds the maximum number allowed."}
	}
	b := len(m.buses)
	m.buses = append(m.buses, busState{
		ref: ref, name: name, acct: a, deleted: true,
		arn:     topology.BusARN(m.region, m.accounts[a].id, name),
		matcher: pattern.NewMatcher(nil),
	})
	m.busSlots[ref] = b
	m.growFaults()
	return b, nil
}

// CreateBus creates the bus "account/name" at once. Creating a bus that
// exists is an error (ResourceAlreadyExistsException).
func (m *Model) CreateBus(ref string) error {
	b, err := m.busSlot(ref)
	if err != nil {
		return err
	}
	bs := &m.buses[b]
	if !bs.deleted {
		return &APIError{Code: CodeResourceExists, Message: "Event bus " + bs.name + " already exists."}
	}
	bs.deleted, bs.policy, bs.outage, bs.matched = false, nil, "", 0
	m.rebuildMatcher(b)
	m.names.SetBus(ref, b)
	m.namesChanged()
	return nil
}

// DeleteBus deletes a bus at once, with its rules and their targets:
// events arriving at it afterwards are dropped (cause "unknown-bus"), and
// forwards to it fail with NO_RESOURCE.
func (m *Model) DeleteBus(ref string) error {
	b, err := m.findBus(ref)
	if err != nil {
		return err
	}
	bs := &m.buses[b]
	bs.deleted = true
	bs.policy = nil
	for i := range bs.rules {
		m.clearRule(&bs.rules[i])
	}
	m.rebuildMatcher(b)
	m.names.RemoveBus(ref)
	m.namesChanged()
	return nil
}

func (m *Model) clearRule(rs *ruleState) {
	rs.deleted, rs.enabled, rs.pattern = true, false, nil
	for k := range rs.targets {
		rs.targets[k].removed = true
	}
}

// rebuildMatcher recompiles bus b's matcher from its rules' patterns.
func (m *Model) rebuildMatcher(b int) {
	bs := &m.buses[b]
	ps := make([]*pattern.Pattern, len(bs.rules))
	for i := range bs.rules {
		if !bs.rules[i].deleted {
			ps[i] = bs.rules[i].pattern
		}
	}
	bs.matcher = pattern.NewMatcher(ps)
}

// liveRule returns the index of rule name of bus b, or -1.
func (m *Model) liveRule(b int, name string) int {
	for i := range m.buses[b].rules {
		if rs := &m.buses[b].rules[i]; !rs.deleted && rs.name == name {
			return i
		}
	}
	return -1
}

// PutRule creates rule name on bus, or replaces its pattern and state,
// ControlPlaneLag after the call; the targets of an existing rule stay.
// p must be a compiled pattern (the caller validates it, with AWS's
// messages).
func (m *Model) PutRule(bus, name string, p *pattern.Pattern, enabled bool) error {
	if _, err := m.findBus(bus); err != nil {
		return err
	}
	m.later("PutRule "+bus+"/"+name+" "+strconv.FormatBool(enabled), func() {
		b, ok := m.names.Bus(bus)
		if !ok {
			return
		}
		bs := &m.buses[b]
		i := m.liveRule(b, name)
		if i < 0 {
			for j := range bs.rules {
				if bs.rules[j].deleted {
					i = j
					break
				}
			}
			if i < 0 {
				bs.rules = append(bs.rules, ruleState{})
				i = len(bs.rules) - 1
			}
			// The targets of the slot's previous rule are kept as removed
			// slots: their generations must keep counting.
			old := bs.rules[i].targets
			bs.rules[i] = ruleState{name: name, targets: old, arn: topology.RuleARN(m.region, m.accounts[bs.acct].id, bs.name, name)}
		}
		rs := &bs.rules[i]
		rs.pattern, rs.enabled = p, enabled
		m.rebuildMatcher(b)
		m.growFaults()
	})
	return nil
}

// DeleteRule deletes rule name of bus, with its targets, ControlPlaneLag
// after the call.
func (m *Model) DeleteRule(bus, name string) error {
	if _, err := m.findBus(bus); err != nil {
		return err
	}
	m.later("DeleteRule "+bus+"/"+name, func() {
		b, ok := m.names.Bus(bus)
		if !ok {
			return
		}
		if i := m.liveRule(b, name); i >= 0 {
			m.clearRule(&m.buses[b].rules[i])
			m.rebuildMatcher(b)
		}
	})
	return nil
}

// PutTarget adds target t to rule of bus, or replaces the target with
// its ID, ControlPlaneLag after the call. The rule must exist by then
// (else nothing happens: AWS checked it at the call).
func (m *Model) PutTarget(bus, rule string, t TargetSpec) error {
	if _, err := m.findBus(bus); err != nil {
		return err
	}
	// Resolve what can be resolved now, so that a bad reference is an
	// error of the call.
	ts, err := m.targetState(bus, rule, t)
	if err != nil {
		return err
	}
	m.later("PutTarget "+bus+"/"+rule+"/"+t.ID, func() {
		b, ok := m.names.Bus(bus)
		if !ok {
			return
		}
		i := m.liveRule(b, rule)
		if i < 0 {
			return
		}
		rs := &m.buses[b].rules[i]
		k := -1
		for j := range rs.targets {
			if !rs.targets[j].removed && rs.targets[j].id == t.ID {
				k = j
			}
		}
		if k < 0 {
			for j := range rs.targets {
				if rs.targets[j].removed {
					k = j
					break
				}
			}
		}
		if k < 0 {
			rs.targets = append(rs.targets, targetState{})
			k = len(rs.targets) - 1
		}
		gen := rs.targets[k].gen + 1
		rs.targets[k] = ts
		rs.targets[k].gen = gen
		m.growFaults()
	})
	return nil
}

// targetState builds the state of a target of rule on bus.
func (m *Model) targetState(bus, rule string, t TargetSpec) (targetState, error) {
	b, _ := m.findBus(bus)
	bs := &m.buses[b]
	ts := targetState{
		kind: t.Kind, id: t.ID, consumer: bus + "/" + rule + "/" + t.ID,
		dest: -1, queue: -1, handler: -1, role: -1, dlq: -1,
		retries: t.Retry.Attempts(), maxAge: t.Retry.MaxAge(),
	}
	var err error
	switch t.Kind {
	case topology.KindBus:
		if ts.dest, err = m.busSlot(t.Bus); err != nil {
			return ts, err
		}
		d := &m.buses[ts.dest]
		ts.arn, ts.crossAcct = d.arn, d.acct != bs.acct
		if key := m.accounts[bs.acct].name + "/" + t.Role; t.Role != "" {
			if _, known := m.roles[key]; !known && len(m.roles) >= MaxSlots {
				return ts, &APIError{Code: CodeLimitExceeded, Message: "The requested resource exceeds the maximum number allowed."}
			}
			ts.role = m.roleIndex(key)
		}
		ts.lat = m.latForward
	case topology.KindQueue:
		if ts.queue, err = m.queueSlot(t.Queue); err != nil {
			return ts, err
		}
		ts.arn = m.queues[ts.queue].arn
		ts.lat = m.latDeliver
	case topology.KindLog:
		ts.arn = topology.LogARN(m.region, m.accounts[bs.acct].id, t.Log)
		ts.lat = m.latDeliver
	case topology.KindHandler:
		if h, ok := m.names.Handler(t.Handler); ok {
			ts.handler = h
			ts.arn = m.handlers[h].arn
		} else if a, name, err := m.splitAccount(t.Handler); err == nil {
			ts.arn = topology.FunctionARN(m.region, m.accounts[a].id, name)
		} else {
			return ts, err
		}
		ts.lat = m.latInvoke
	default:
		return ts, &APIError{Code: CodeValidation, Message: "Unknown target kind " + strconv.Quote(string(t.Kind)) + "."}
	}
	if t.DLQ != "" {
		if ts.dlq, err = m.queueSlot(t.DLQ); err != nil {
			return ts, err
		}
	}
	return ts, nil
}

// RemoveTarget removes target id of rule on bus, ControlPlaneLag after
// the call. Invocations of it still scheduled (retries, duplicates) are
// dropped with cause "target-removed".
func (m *Model) RemoveTarget(bus, rule, id string) error {
	if _, err := m.findBus(bus); err != nil {
		return err
	}
	m.later("RemoveTarget "+bus+"/"+rule+"/"+id, func() {
		b, ok := m.names.Bus(bus)
		if !ok {
			return
		}
		i := m.liveRule(b, rule)
		if i < 0 {
			return
		}
		rs := &m.buses[b].rules[i]
		for k := range rs.targets {
			if !rs.targets[k].removed && rs.targets[k].id == id {
				rs.targets[k].removed = true
			}
		}
	})
	return nil
}

// SetPolicy replaces bus's whole policy with statements, ControlPlaneLag
// after the call (PutPermission with a Policy document,
// RemovePermission with RemoveAllPermissions).
func (m *Model) SetPolicy(bus string, statements []topology.Statement) error {
	if _, err := m.findBus(bus); err != nil {
		return err
	}
	st := append([]topology.Statement(nil), statements...)
	m.later("SetPolicy "+bus+" "+strconv.Itoa(len(st))+" statements", func() {
		if b, ok := m.names.Bus(bus); ok {
			m.buses[b].policy = st
		}
	})
	return nil
}

// queueSlot returns the slot of a queue reference, creating a missing one
// (a queue that does not exist yet) when the reference has none.
func (m *Model) queueSlot(ref string) (int, error) {
	if q, ok := m.names.Queue(ref); ok {
		return q, nil
	}
	a, name, err := m.splitAccount(ref)
	if err != nil {
		return -1, err
	}
	if len(m.queues) >= MaxSlots {
		return -1, &APIError{Code: CodeLimitExceeded, Message: "The requested resource exceeds the maximum number allowed."}
	}
	q := len(m.queues)
	m.queues = append(m.queues, queueState{ref: ref, acct: a, missing: true,
		arn: topology.QueueARN(m.region, m.accounts[a].id, name)})
	m.names.SetQueue(ref, q)
	m.growFaults()
	return q, nil
}

// CreateQueue makes queue "account/name" exist, at once: targets and DLQs
// naming it deliver to it from then on.
func (m *Model) CreateQueue(ref string) error {
	q, err := m.queueSlot(ref)
	if err != nil {
		return err
	}
	m.queues[q].missing = false
	return nil
}

// DeleteQueue makes a queue cease to exist, at once: deliveries to it
// fail with NO_RESOURCE, and a DLQ that does not exist counts
// InvocationsFailedToBeSentToDlq.
func (m *Model) DeleteQueue(ref string) error {
	q, ok := m.names.Queue(ref)
	if !ok {
		return &APIError{Code: CodeResourceNotFound, Message: "Queue " + ref + " does not exist."}
	}
	m.queues[q].missing = true
	return nil
}

// CreateArchive creates an archive of bus's events (those p matches; nil
// archives everything), at once. Names are unique in the model.
func (m *Model) CreateArchive(name, bus string, p *pattern.Pattern, retentionDays int) error {
	b, err := m.findBus(bus)
	if err != nil {
		return err
	}
	for i := range m.archives {
		if m.archives[i].name == name && m.archives[i].bus >= 0 {
			return &APIError{Code: CodeResourceExists, Message: "Archive " + name + " already exists."}
		}
	}
	as := archiveState{name: name, bus: b, retention: time.Duration(retentionDays) * 24 * time.Hour}
	if p != nil {
		as.matcher = pattern.NewMatcher([]*pattern.Pattern{p})
	}
	m.archives = append(m.archives, as)
	m.buses[b].archives = append(m.buses[b].archives, len(m.archives)-1)
	return nil
}

// DeleteArchive deletes an archive and its events, at once (replays
// already running keep the events they selected).
func (m *Model) DeleteArchive(name string) error {
	for i := range m.archives {
		as := &m.archives[i]
		if as.name != name || as.bus < 0 {
			continue
		}
		bs := &m.buses[as.bus]
		for j, a := range bs.archives {
			if a == i {
				bs.archives = append(bs.archives[:j], bs.archives[j+1:]...)
				break
			}
		}
		for _, rec := range as.events {
			m.unref(rec)
		}
		as.bus, as.events, as.name = -1, nil, ""
		return nil
	}
	return &APIError{Code: CodeResourceNotFound, Message: "Archive " + name + " does not exist."}
}

// ArchiveInfo describes an archive (DescribeArchive's counts).
type ArchiveInfo struct {
	Name       string
	EventCount int
	SizeBytes  int64
}

// Archive returns the current contents' figures of an archive.
func (m *Model) Archive(name string) (ArchiveInfo, bool) {
	for i := range m.archives {
		if as := &m.archives[i]; as.name == name && as.bus >= 0 {
			info := ArchiveInfo{Name: name, EventCount: len(as.events)}
			for _, r := range as.events {
				m.materialise(r)
				info.SizeBytes += int64(len(r.env.Detail))
			}
			return info, true
		}
	}
	return ArchiveInfo{}, false
}

// dropStale drops an event scheduled for a bus or target that no longer
// exists in that form (see the comment at the top of this file).
func (m *Model) dropStale(e ev, cause string) {
	if o := m.begin(KindDropped, e.rec); o != nil {
		m.at(o, int(e.bus), -1, -1)
		o.Cause, o.Attempt, o.Hopped = cause, int(e.attempt), e.hopped
		m.emit(o)
	}
}

// nominal reports whether target k of rule i of bus b (k or i may be -1)
// is in the topology the model was built from: only those have nominal
// routes (the router's); what the runtime control plane added has none.
func (m *Model) nominal(b, i, k int) bool {
	t := m.topo
	if b >= len(t.Buses) || i >= len(t.Buses[b].Rules) {
		return false
	}
	return k < 0 || k < len(t.Buses[b].Rules[i].Targets)
}

// growFaults extends the fault hooks' per-account, per-bus, per-target
// and per-queue state after the runtime control plane added some.
func (m *Model) growFaults() {
	f := &m.fault
	if f.entry != nil {
		for len(f.entry) < len(m.accounts) {
			f.entry = append(f.entry, entryFault{})
		}
	}
	for h := range f.acct {
		if f.acct[h] != nil {
			for len(f.acct[h]) < len(m.accounts) {
				f.acct[h] = append(f.acct[h], latExtra{})
			}
		}
	}
	if f.bus != nil {
		for len(f.bus) < len(m.buses) {
			f.bus = append(f.bus, latExtra{})
		}
	}
	if f.tgt != nil {
		for len(f.tgt) < len(m.buses) {
			f.tgt = append(f.tgt, nil)
		}
		for b := range m.buses {
			for len(f.tgt[b]) < len(m.buses[b].rules) {
				f.tgt[b] = append(f.tgt[b], nil)
			}
			for i := range m.buses[b].rules {
				for len(f.tgt[b][i]) < len(m.buses[b].rules[i].targets) {
					f.tgt[b][i] = append(f.tgt[b][i], latExtra{})
				}
			}
		}
	}
	if f.dlq != nil {
		for len(f.dlq) < len(m.queues) {
			f.dlq = append(f.dlq, nil)
		}
	}
}

// Latencies returns the model's hop latency distributions (defaults
// applied), e.g. for a driver that reports them.
func (m *Model) Latencies() Latency { return m.p.Latency }

// HasBus reports whether the bus "account/name" exists.
func (m *Model) HasBus(ref string) bool {
	_, ok := m.names.Bus(ref)
	return ok
}
