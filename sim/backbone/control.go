package backbone

import (
	"strconv"
	"strings"

	"github.com/busdrill/busdrill/topology"
)

// The control API. Control-plane operations (rules, bus policies, IAM
// roles) are eventually consistent in AWS: the model applies each one
// ControlPlaneLag after the call, in call order, and observes
// KindControlApplied then. Errors are checked at call time. Data-plane
// faults of targets (SetAvailability, SetHandlerFailureProbability) apply
// at once.

func (m *Model) later(desc string, apply func()) {
	m.control = append(m.control, func() {
		apply()
		if o := m.begin(KindControlApplied, nil); o != nil {
			o.Message = desc
			m.emit(o)
		}
	})
	m.eng.After(m.p.ControlPlaneLag, ev{kind: evControl})
}

func (m *Model) findBus(ref string) (int, error) {
	b, ok := m.names.Bus(ref)
	if !ok {
		return -1, &APIError{Code: CodeResourceNotFound, Message: "Event bus " + ref + " does not exist."}
	}
	return b, nil
}

func (m *Model) findRule(bus, rule string) (int, int, error) {
	b, err := m.findBus(bus)
	if err != nil {
		return -1, -1, err
	}
	for i := range m.buses[b].rules {
		if m.buses[b].rules[i].name == rule {
			return b, i, nil
		}
	}
	return -1, -1, &APIError{Code: CodeResourceNotFound, Message: "Rule " + rule + " does not exist on EventBus " + m.buses[b].name + "."}
}

// DisableRule disables a rule of bus ("account/bus"), after the lag. From
// then on the events it matches are dropped (KindRuleDisabled,
// KindDropped "rule-disabled", KindRouteLost): nothing is kept for later.
func (m *Model) DisableRule(bus, rule string) error { return m.setRule(bus, rule, false) }

// EnableRule enables a rule of bus, after the lag.
func (m *Model) EnableRule(bus, rule string) error { return m.setRule(bus, rule, true) }

func (m *Model) setRule(bus, rule string, on bool) error {
	b, i, err := m.findRule(bus, rule)
	if err != nil {
		return err
	}
	verb := "DisableRule "
	if on {
		verb = "EnableRule "
	}
	m.later(verb+bus+"/"+rule, func() { m.buses[b].rules[i].enabled = on })
	return nil
}

// PutPermission adds (or replaces, by Sid: UNCONFIRMED) a statement of
// bus's policy, after the lag.
func (m *Model) PutPermission(bus string, st topology.Statement) error {
	b, err := m.findBus(bus)
	if err != nil {
		return err
	}
	if st.Sid == "" {
		return &APIError{Code: CodeValidation, Message: "Parameter StatementId is not valid."}
	}
	m.later("PutPermission "+bus+" "+st.Sid+" "+st.Principal, func() {
		p := m.buses[b].policy
		for i := range p {
			if p[i].Sid == st.Sid {
				p[i] = st
				return
			}
		}
		m.buses[b].policy = append(p, st)
	})
	return nil
}

// RemovePermission removes statement sid of bus's policy, after the lag.
// An unknown sid fails at once with AWS's ResourceNotFoundException.
func (m *Model) RemovePermission(bus, sid string) error {
	b, err := m.findBus(bus)
	if err != nil {
		return err
	}
	found := false
	for _, s := range m.buses[b].policy {
		found = found || s.Sid == sid
	}
	if !found {
		return &APIError{Code: CodeResourceNotFound, Message: "Statement with the provided id does not exist."}
	}
	m.later("RemovePermission "+bus+" "+sid, func() {
		p := m.buses[b].policy[:0]
		for _, s := range m.buses[b].policy {
			if s.Sid != sid {
				p = append(p, s)
			}
		}
		m.buses[b].policy = p
	})
	return nil
}

// SetRoleAllowed makes the IAM role (a name in account) assumable or not
// by EventBridge, after the lag. A bus target whose role cannot be assumed
// fails with FAILED_TO_ASSUME_ROLE (not retried).
func (m *Model) SetRoleAllowed(account, role string, allowed bool) error {
	i, ok := m.roles[account+"/"+role]
	if !ok {
		return &APIError{Code: CodeResourceNotFound, Message: "Role " + account + "/" + role + " is not used by any target."}
	}
	m.later("SetRoleAllowed "+account+"/"+role+" "+strconv.FormatBool(allowed), func() { m.denied[i] = !allowed })
	return nil
}

// SetAvailability makes a target or a resource unavailable (code is the
// ERROR_CODE its invocations fail with, e.g. THROTTLING or
// CONNECTION_FAILURE, retried; NO_RESOURCE or NO_PERMISSIONS, not
// retried) or available again (code ""), at once. ref is a target
// reference "account/bus/rule/target" (that target only) or a queue,
// handler or bus reference "account/name" (every target delivering to it).
func (m *Model) SetAvailability(ref, code string) error {
	n := 0
	switch strings.Count(ref, "/") {
	case 3:
		for b := range m.buses {
			for i := range m.buses[b].rules {
				for k := range m.buses[b].rules[i].targets {
					if t := &m.buses[b].rules[i].targets[k]; t.consumer == ref {
						t.outage = code
						n++
					}
				}
			}
		}
	case 1:
		if q, ok := m.names.Queue(ref); ok {
			m.queues[q].outage = code
			n++
		}
		if h, ok := m.names.Handler(ref); ok {
			m.handlers[h].outage = code
			n++
		}
		if b, ok := m.names.Bus(ref); ok {
			m.buses[b].outage = code
			n++
		}
	}
	if n == 0 {
		return &APIError{Code: CodeResourceNotFound, Message: "No target or resource " + ref + "."}
	}
	return nil
}

// SetHandlerFailureProbability changes a handler's failure probability,
// at once.
func (m *Model) SetHandlerFailureProbability(handler string, p float64) error {
	h, ok := m.names.Handler(handler)
	if !ok {
		return &APIError{Code: CodeResourceNotFound, Message: "Function not found: " + handler}
	}
	if p > 0 {
		// The failure draws share the run times' stream from now on.
		m.handlers[h].runs.settle()
	}
	m.handlers[h].spec.FailureProbability = p
	return nil
}
