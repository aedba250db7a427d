package backbone

import (
	"fmt"
	"sort"
	"time"

	"github.com/busdrill/busdrill/pattern"
)

type archiveState struct {
	name      string
	bus       int
	matcher   *pattern.Matcher // nil archives everything
	retention time.Duration    // 0 keeps forever
	events    []*record
}

// Replay states (DescribeReplay.State).
const (
	ReplayStarting  = "STARTING"
	ReplayRunning   = "RUNNING"
	ReplayCompleted = "COMPLETED"
)

// MsgCrossBusReplay is AWS's message for a replay to another bus.
const MsgCrossBusReplay = "Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted."

// MsgReplayTimes is AWS's message for EventStartTime not before EventEndTime.
const MsgReplayTimes = "Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime."

type replayState struct {
	name     string
	archive  int
	filter   []bool // per rule of the bus; nil = every rule
	start    time.Time
	end      time.Time
	state    string
	events   []*record // selected at RUNNING, sorted by minute bucket
	buckets  []int     // start offset of each bucket in events
	next     int
	lastTime time.Time
}

func (m *Model) buildArchives() error {
	for i := range m.topo.Archives {
		a := &m.topo.Archives[i]
		b, _ := m.names.Bus(a.Bus)
		as := archiveState{name: a.Name, bus: b, retention: time.Duration(a.RetentionDays) * 24 * time.Hour}
		if a.Pattern != "" {
			p, err := pattern.Compile([]byte(a.Pattern))
			if err != nil {
				return fmt.Errorf("backbone: archive %s: %w", a.Name, err)
			}
			as.matcher = pattern.NewMatcher([]*pattern.Pattern{p})
		}
		m.archives = append(m.archives, as)
		m.buses[b].archives = append(m.buses[b].archives, i)
	}
	return nil
}

// archiveIngest schedules the event into archive a, after the archive lag,
// when the archive's pattern matches. Replayed events never get here.
func (m *Model) archiveIngest(a int, rec *record) {
	as := &m.archives[a]
	if as.matcher != nil {
		// An event the archive's pattern cannot be decided for within
		// the matcher's budget is not archived (its rules drop it too).
		if hits, err := m.match(as.matcher, rec); err != nil || len(hits) == 0 {
			return
		}
	}
	m.pushAfter(sample(m.p.ArchiveLag, m.rArchive), ev{kind: evArchive, rec: rec, bus: int32(a)})
}

// match matches the event of rec against mt, into m.hits' buffer. It
// fails only with pattern.ErrMatchBudget, for an event that spells one
// path twice (a duplicate or dotted key): the load generator's details
// never do, events put through busdrill serve may.
func (m *Model) match(mt *pattern.Matcher, rec *record) ([]int, error) {
	if rec.lazy && mt.NeedsDetail() {
		m.materialise(rec)
	}
	return mt.Match(&rec.env, &m.scratch, m.hits[:0])
}

func (m *Model) archiveAppend(a int, rec *record) {
	as := &m.archives[a]
	as.events = append(as.events, rec)
	m.ref(rec)
	if as.retention > 0 {
		cut := m.Wall(m.Now()).Add(-as.retention)
		n := 0
		for n < len(as.events) && as.events[n].env.Time.Before(cut) {
			n++
		}
		if n > 0 {
			for _, old := range as.events[:n] {
				m.unref(old)
			}
			k := copy(as.events, as.events[n:])
			clear(as.events[k:])
			as.events = as.events[:k]
		}
	}
	if o := m.begin(KindArchived, rec); o != nil {
		m.at(o, as.bus, -1, -1)
		o.Message = as.name
		m.emit(o)
	}
}

// ReplaySpec is a StartReplay request.
type ReplaySpec struct {
	Name    string
	Archive string
	// Destination is the bus reference; it must be the archive's bus.
	Destination string
	// Start and End bound the event times replayed: [Start, End).
	Start, End time.Time
	// Rules optionally restricts the replay to these rules of the bus
	// (FilterArns).
	Rules []string
}

// StartReplay starts a replay (eventbridge-model.md §7): only to the
// archive's own bus; STARTING for ReplayStartDelay, then RUNNING, sending
// the archived events with time in [Start, End) in one-minute buckets of
// event time, oldest first, one bucket every ReplayBucketInterval, each
// event carrying replay-name; then COMPLETED. Replayed events are never
// archived again. At most MaxActiveReplays run at once.
func (m *Model) StartReplay(s ReplaySpec) error {
	a := -1
	for i := range m.archives {
		if m.archives[i].name == s.Archive && m.archives[i].bus >= 0 {
			a = i
		}
	}
	if a < 0 {
		return &APIError{Code: CodeResourceNotFound, Message: "Archive " + s.Archive + " does not exist."}
	}
	as := &m.archives[a]
	if s.Destination != m.buses[as.bus].ref {
		return &APIError{Code: CodeValidation, Message: MsgCrossBusReplay}
	}
	if !s.Start.Before(s.End) {
		return &APIError{Code: CodeValidation, Message: MsgReplayTimes}
	}
	active := 0
	for i := range m.replays {
		if m.replays[i].name == s.Name {
			return &APIError{Code: CodeResourceExists, Message: "Replay " + s.Name + " already exists."}
		}
		if st := m.replays[i].state; st == ReplayStarting || st == ReplayRunning {
			active++
		}
	}
	if active >= m.p.MaxActiveReplays {
		return &APIError{Code: CodeLimitExceeded, Message: "The requested resource exceeds the maximum number allowed."}
	}
	var filter []bool
	if len(s.Rules) > 0 {
		bs := &m.buses[as.bus]
		filter = make([]bool, len(bs.rules))
		for _, name := range s.Rules {
			found := false
			for i := range bs.rules {
				if bs.rules[i].name == name {
					filter[i], found = true, true
				}
			}
			if !found {
				return &APIError{Code: CodeResourceNotFound, Message: "Rule " + name + " does not exist on EventBus " + bs.name + "."}
			}
		}
	}
	m.replays = append(m.replays, replayState{name: s.Name, archive: a, filter: filter, start: s.Start, end: s.End, state: ReplayStarting})
	r := len(m.replays) - 1
	m.replayObserve(r)
	m.eng.After(m.p.ReplayStartDelay, ev{kind: evReplay, bus: int32(r)})
	return nil
}

func (m *Model) replayObserve(r int) {
	rs := &m.replays[r]
	if o := m.begin(KindReplayState, nil); o != nil {
		m.at(o, m.archives[rs.archive].bus, -1, -1)
		o.Replay, o.Message = rs.name, rs.state
		m.emit(o)
	}
}

func (m *Model) replayStep(r int) {
	rs := &m.replays[r]
	as := &m.archives[rs.archive]
	if rs.state == ReplayStarting {
		rs.state = ReplayRunning
		m.replayObserve(r)
		for _, rec := range as.events {
			if t := rec.env.Time; !t.Before(rs.start) && t.Before(rs.end) {
				rs.events = append(rs.events, rec)
				m.ref(rec)
			}
		}
		sort.SliceStable(rs.events, func(i, j int) bool {
			return rs.events[i].env.Time.Truncate(time.Minute).Before(rs.events[j].env.Time.Truncate(time.Minute))
		})
		for i, rec := range rs.events {
			if i == 0 || !rec.env.Time.Truncate(time.Minute).Equal(rs.events[i-1].env.Time.Truncate(time.Minute)) {
				rs.buckets = append(rs.buckets, i)
			}
		}
		if len(rs.events) == 0 {
			m.replayDone(r)
			return
		}
		m.eng.After(0, ev{kind: evReplay, bus: int32(r)})
		return
	}
	from := rs.buckets[rs.next]
	to := len(rs.events)
	if rs.next+1 < len(rs.buckets) {
		to = rs.buckets[rs.next+1]
	}
	for _, orig := range rs.events[from:to] {
		var rec *record
		if m.p.ReplayNewIDs {
			rec = m.allocRecord() // with its new id
		} else {
			rec = new(record)
		}
		id := rec.id
		*rec = record{env: orig.env, tag: orig.tag, at: m.Now(), sender: orig.sender, replay: int32(r),
			lazy: orig.lazy, size: orig.size, token: orig.token}
		rec.env.ReplayName = rs.name
		if m.p.ReplayNewIDs {
			rec.id = id
			rec.ownID()
		}
		rs.lastTime = orig.env.Time
		if o := m.begin(KindReplayed, rec); o != nil {
			m.at(o, as.bus, -1, -1)
			m.emit(o)
		}
		m.pushAfter(m.latIngest.next(), ev{kind: evIngest, rec: rec, bus: int32(as.bus)})
	}
	rs.next++
	if rs.next == len(rs.buckets) {
		m.replayDone(r)
		return
	}
	m.eng.After(m.p.ReplayBucketInterval, ev{kind: evReplay, bus: int32(r)})
}

func (m *Model) replayDone(r int) {
	rs := &m.replays[r]
	rs.state = ReplayCompleted
	for _, rec := range rs.events {
		m.unref(rec)
	}
	rs.events, rs.buckets = nil, nil
	m.replayObserve(r)
}

// ReplayInfo is DescribeReplay's answer.
type ReplayInfo struct {
	Name  string
	State string
	// EventLastReplayedTime is the event time of the last replayed event.
	EventLastReplayedTime time.Time
}

// DescribeReplay returns the state of a replay.
func (m *Model) DescribeReplay(name string) (ReplayInfo, error) {
	for i := range m.replays {
		if rs := &m.replays[i]; rs.name == name {
			return ReplayInfo{Name: rs.name, State: rs.state, EventLastReplayedTime: rs.lastTime}, nil
		}
	}
	return ReplayInfo{}, &APIError{Code: CodeResourceNotFound, Message: "Replay " + name + " does not exist."}
}
