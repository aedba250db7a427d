package backbone

import "github.com/busdrill/busdrill/topology"

// Drop causes that are not DLQ error codes.
const (
	CauseUnknownBus    = "unknown-bus"
	CauseRuleDisabled  = "rule-disabled"
	CauseHandlerFailed = "handler-failed"
	// CauseMatchBudget: the bus's rules could not be decided for the
	// event within the matcher's array-consistency budget (see
	// pattern.ErrMatchBudget); the event is dropped, visibly, rather than
	// routed on a guess.
	CauseMatchBudget = "match-budget"
	// CauseTargetRemoved: an invocation (a retry, a duplicate) of a
	// target that RemoveTargets or DeleteRule has removed since.
	CauseTargetRemoved = "target-removed"
)

// ingest is the arrival of an event at bus b: archive it, match it against
// the bus's rules in the state in force now, and create one invocation per
// target of every enabled matching rule. A matching rule that is disabled
// drops the event for its targets: nothing is kept for later.
func (m *Model) ingest(rec *record, b int, hopped, dup bool) {
	bs := &m.buses[b]
	if bs.deleted { // deleted since the event was sent to it (runtime.go)
		m.dropStale(ev{rec: rec, bus: int32(b), hopped: hopped}, CauseUnknownBus)
		return
	}
	if m.want.wants(KindIngested, hopped) {
		if o := m.at(m.begin(KindIngested, rec), b, -1, -1); o != nil {
			o.Hopped, o.Duplicate = hopped, dup
			m.emit(o)
		}
	}
	if !dup && rec.env.ReplayName == "" {
		for _, a := range bs.archives {
			m.archiveIngest(a, rec)
		}
	}
	hits, err := m.matchBus(bs, rec)
	if err != nil {
		if o := m.at(m.begin(KindDropped, rec), b, -1, -1); o != nil {
			o.Cause, o.Message = CauseMatchBudget, err.Error()
			m.emit(o)
		}
		return
	}
	var filter []bool
	if rec.replay >= 0 {
		filter = m.replays[rec.replay].filter
	}
	now := m.eng.Now()
	matched := false
	for _, i := range hits {
		if filter != nil && !filter[i] {
			continue
		}
		rs := &bs.rules[i]
		if !rs.enabled {
			if dup {
				continue
			}
			if o := m.at(m.begin(KindRuleDisabled, rec), b, i, -1); o != nil {
				o.Hopped = hopped
				m.emit(o)
			}
			if o := m.at(m.begin(KindDropped, rec), b, i, -1); o != nil {
				o.Cause = CauseRuleDisabled
				m.emit(o)
			}
			m.downstream = m.downstream[:0]
			if m.nominal(b, i, -1) {
				m.downstream = m.router.AppendFromRule(m.downstream, b, i, &rec.env, hopped)
			}
			m.routeLost(rec, b, i, -1, CauseRuleDisabled, "")
			continue
		}
		matched = true
		rs.metrics[mMatchedEvents]++
		rs.metrics[mTriggeredRules]++
		if o := m.at(m.begin(KindRuleMatched, rec), b, i, -1); o != nil {
			o.Hopped, o.Duplicate = hopped, dup
			m.emit(o)
		}
		for k := range rs.targets {
			if t := &rs.targets[k]; !t.removed {
				m.admit(ev{kind: evInvoke, rec: rec, bus: int32(b), rule: int32(i), tgt: int32(k), gen: t.gen, hopped: hopped, dup: dup, at0: now})
			}
		}
	}
	if matched {
		bs.matched++
	}
}

// admit creates an invocation now: it takes a token of the rule account's
// invocations quota (waiting for one when there is none: invocations over
// the quota are delayed, never dropped) and schedules the attempt after
// the target kind's latency.
func (m *Model) admit(e ev) {
	bs := &m.buses[e.bus]
	rs := &bs.rules[e.rule]
	t := &rs.targets[e.tgt]
	now := m.eng.Now()
	grant := m.accounts[bs.acct].inv.reserve(now)
	rs.metrics[mInvocationsCreated]++
	if grant > now {
		rs.metrics[mThrottledRules]++
		if o := m.at(m.begin(KindThrottled, e.rec), int(e.bus), int(e.rule), int(e.tgt)); o != nil {
			o.Delay, o.Attempt = grant.Sub(now), int(e.attempt)
			m.emit(o)
		}
	}
	e.kind = evInvoke
	e.granted = true
	m.push(grant.Add(t.lat.next()+m.extraTarget(e.bus, e.rule, e.tgt)), e)
}

// invoke is one attempt to deliver to a target.
func (m *Model) invoke(e ev) {
	rs := &m.buses[e.bus].rules[e.rule]
	if t := &rs.targets[e.tgt]; t.removed || t.gen != e.gen {
		m.dropStale(e, CauseTargetRemoved)
		return
	}
	if !e.granted { // a retry whose backoff has elapsed
		m.buses[e.bus].rules[e.rule].targets[e.tgt].load.retrying--
		m.admit(e)
		return
	}
	if !e.dup {
		rs.metrics[mInvocationAttempts]++
		if e.attempt > 0 {
			rs.metrics[mRetryInvocationAttempts]++
		}
	}
	code, msg := m.attempt(e)
	if code == "" {
		if !e.dup {
			rs.metrics[mSuccessfulInvocationAttempts]++
			rs.metrics[mInvocations]++
			m.maybeDuplicate(e)
		}
		return
	}
	if e.dup { // a failed extra delivery is just not an extra delivery
		return
	}
	m.fail(e, code, msg)
}

// attempt performs the delivery of invocation e and returns "" on success
// or a DLQ ERROR_CODE and message.
func (m *Model) attempt(e ev) (code, msg string) {
	b := int(e.bus)
	bs := &m.buses[b]
	t := &bs.rules[e.rule].targets[e.tgt]
	switch t.kind {
	case topology.KindBus:
		if t.role >= 0 && m.denied[t.role] {
			return CodeFailedToAssumeRole, "EventBridge could not assume the role of target " + t.id + "."
		}
		if c := topology.ForwardRefusal(e.hopped); c != "" {
			return c, "The event was received from another event bus and cannot be forwarded to a third one."
		}
		d := &m.buses[t.dest]
		if d.deleted {
			return CodeNoResource, "Event bus " + d.arn + " does not exist."
		}
		if c := firstNonEmpty(t.outage, d.outage); c != "" {
			return c, outageMessage(c)
		}
		if t.crossAcct && !topology.PolicyAllows(d.policy, &m.accounts[d.acct].info, &m.accounts[bs.acct].info) {
			return m.p.CrossAccountDeniedCode, "Account " + m.accounts[bs.acct].id + " is not authorized to put events on " + d.arn + "."
		}
		if o := m.at(m.begin(KindForwarded, e.rec), b, int(e.rule), int(e.tgt)); o != nil {
			o.Message, o.Attempt, o.Duplicate, o.Hopped = d.ref, int(e.attempt), e.dup, e.hopped
			m.emit(o)
		}
		m.ingest(e.rec, t.dest, true, e.dup)
	case topology.KindQueue, topology.KindLog:
		q := ""
		if t.queue >= 0 {
			if m.queues[t.queue].missing {
				return CodeNoResource, "Queue " + m.queues[t.queue].arn + " does not exist."
			}
			q = m.queues[t.queue].outage
		}
		if c := firstNonEmpty(t.outage, q); c != "" {
			return c, outageMessage(c)
		}
		if o := m.at(m.begin(KindDelivered, e.rec), b, int(e.rule), int(e.tgt)); o != nil {
			if t.queue >= 0 {
				o.Queue = m.queues[t.queue].ref
			}
			o.Attempt, o.Duplicate, o.Hopped = int(e.attempt), e.dup, e.hopped
			m.emit(o)
		}
	case topology.KindHandler:
		if t.handler < 0 {
			return CodeNoResource, "Function " + t.arn + " does not exist."
		}
		h := &m.handlers[t.handler]
		if c := firstNonEmpty(t.outage, h.outage); c != "" {
			return c, outageMessage(c)
		}
		if e.attempt == 0 && !e.dup {
			h.load.offered++
		}
		if !h.rate.allow(m.eng.Now()) {
			return CodeThrottling, msgTargetRate
		}
		if o := m.at(m.begin(KindHandlerAccepted, e.rec), b, int(e.rule), int(e.tgt)); o != nil {
			o.Attempt, o.Duplicate, o.Hopped = int(e.attempt), e.dup, e.hopped
			m.emit(o)
		}
		e.attempt = 0
		e.hnd = int32(t.handler)
		m.handlerSubmit(e)
	}
	return "", ""
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// maybeDuplicate schedules an extra delivery of a successful invocation
// with probability DuplicateProbability (at-least-once delivery).
func (m *Model) maybeDuplicate(e ev) {
	if m.p.DuplicateProbability <= 0 || m.rDup.Float64() >= m.p.DuplicateProbability {
		return
	}
	t := &m.buses[e.bus].rules[e.rule].targets[e.tgt]
	e.dup = true
	m.pushAfter(t.lat.next()+m.extraTarget(e.bus, e.rule, e.tgt), e)
}

// fail handles a failed attempt: retry a retryable error while the retry
// policy allows, else dead-letter or drop.
func (m *Model) fail(e ev, code, msg string) {
	rs := &m.buses[e.bus].rules[e.rule]
	t := &rs.targets[e.tgt]
	now := m.eng.Now()
	exhausted := ""
	if Retryable(code) {
		if int(e.attempt) >= t.retries {
			exhausted = ExhaustedAttempts
		} else {
			d := m.p.Backoff.Delay(int(e.attempt)+1, m.rJitter)
			if now.Add(d).Sub(e.at0) > t.maxAge {
				exhausted = ExhaustedAge
			} else {
				if o := m.at(m.begin(KindRetryScheduled, e.rec), int(e.bus), int(e.rule), int(e.tgt)); o != nil {
					o.Cause, o.Message, o.Attempt, o.Delay = code, msg, int(e.attempt)+1, d
					m.emit(o)
				}
				t.load.retried(int(e.attempt)+1, now.Add(d).Sub(e.at0))
				e.attempt++
				e.granted = false
				m.push(now.Add(d), e)
				return
			}
		}
	}
	t.load.exhausted(exhausted)
	if t.dlq >= 0 && m.queues[t.dlq].missing {
		rs.metrics[mInvocationsFailedToBeSentToDlq]++
	} else if t.dlq >= 0 {
		rs.metrics[mDeadLetterInvocations]++
		rs.metrics[mInvocationsSentToDlq]++
		q := m.queues[t.dlq].ref
		if o := m.at(m.begin(KindDeadLettered, e.rec), int(e.bus), int(e.rule), int(e.tgt)); o != nil {
			o.Queue, o.Cause, o.Message, o.Exhausted, o.Attempt = q, code, msg, exhausted, int(e.attempt)
			o.RuleARN, o.TargetARN, o.Hopped = rs.arn, t.arn, e.hopped
			m.emit(o)
		}
		m.downstream = m.nominalFromTarget(e)
		m.deadLetter(e, t.dlq, code, msg, exhausted)
		m.routeLost(e.rec, int(e.bus), int(e.rule), int(e.tgt), code, q)
		return
	}
	rs.metrics[mFailedInvocations]++
	rs.metrics[mInvocations]++
	if o := m.at(m.begin(KindDropped, e.rec), int(e.bus), int(e.rule), int(e.tgt)); o != nil {
		o.Cause, o.Message, o.Exhausted, o.Attempt, o.Hopped = code, msg, exhausted, int(e.attempt), e.hopped
		m.emit(o)
	}
	m.downstream = m.nominalFromTarget(e)
	m.routeLost(e.rec, int(e.bus), int(e.rule), int(e.tgt), code, "")
}

// nominalFromTarget returns the consumers the event would reach through the
// target of e in the nominal topology (nothing when the rule is
// configured DISABLED).
func (m *Model) nominalFromTarget(e ev) []string {
	b, i, k := int(e.bus), int(e.rule), int(e.tgt)
	if !m.nominal(b, i, k) || !m.topo.Buses[b].Rules[i].IsEnabled() {
		return m.downstream[:0]
	}
	return m.router.AppendFromTarget(m.downstream[:0], b, i, k, &e.rec.env, e.hopped)
}

// routeLost emits one KindRouteLost per consumer in m.downstream: the
// ledger's attribution of a loss at (b, i, k) to the routes it cuts.
// queue is the DLQ holding the event, if any.
func (m *Model) routeLost(rec *record, b, i, k int, cause, queue string) {
	if !m.want.Has(KindRouteLost) {
		return
	}
	for _, c := range m.downstream {
		o := m.at(m.begin(KindRouteLost, rec), b, i, k)
		o.Consumer, o.Cause, o.Queue, o.DLQ = c, cause, queue, queue != ""
		m.emit(o)
	}
}

// Retry exhaustion conditions (EXHAUSTED_RETRY_CONDITION).
const (
	ExhaustedAttempts = "MaximumRetryAttempts"
	ExhaustedAge      = "MaximumEventAgeInSeconds"
)

// DLQ ERROR_CODE values the model produces (eventbridge-model.md §5).
const (
	CodeNoPermissions      = "NO_PERMISSIONS"
	CodeNoResource         = "NO_RESOURCE"
	CodeFailedToAssumeRole = "FAILED_TO_ASSUME_ROLE"
	CodeThirdAccountHop    = topology.CodeThirdAccountHop
	CodeThrottling         = "THROTTLING"
	CodeConnectionFailure  = "CONNECTION_FAILURE"
	CodeTimeout            = "TIMEOUT"
	CodeInternalError      = "INTERNAL_ERROR"
	CodeErrorFromTarget    = "ERROR_FROM_TARGET"
	CodeCrossAccountFailed = "CROSS_ACCOUNT_INGESTION_FAILED"
)

// Retryable classifies a DLQ ERROR_CODE: throttling, connection failures,
// timeouts, internal and target (5xx) errors and transient role errors are
// retried; permission errors, missing resources, invalid parameters and
// the hop limit are not (eventbridge-model.md §5).
func Retryable(code string) bool {
	switch code {
	case CodeThrottling, CodeConnectionFailure, CodeTimeout, CodeInternalError,
		CodeErrorFromTarget, "TRANSIENT_ASSUME_ROLE", "SDK_CLIENT_ERROR", "UNKNOWN":
		return true
	}
	return false
}

func outageMessage(code string) string {
	return "The target is unavailable (" + code + ")."
}
