package backbone

import "strconv"

// Per-rule counters. The bus, account ("None" dimension) values are sums
// over rules, emitted only for the dimensions AWS publishes (§9).
const (
	mMatchedEvents = iota
	mTriggeredRules
	mInvocations
	mFailedInvocations
	mDeadLetterInvocations
	mInvocationsSentToDlq
	mInvocationAttempts
	mSuccessfulInvocationAttempts
	mRetryInvocationAttempts
	mThrottledRules
	mInvocationsCreated
	mInvocationsFailedToBeSentToDlq
	numRuleMetrics
)

// Per-account PutEvents counters (dimension None).
const (
	mPutCalls = iota
	mPutSuccess
	mPutFailed
	mPutThrottled
	mPutEntries
	mPutFailedEntries
	numAccountMetrics
)

var accountMetricNames = [numAccountMetrics]string{
	mPutCalls:         "PutEventsApproximateCallCount",
	mPutSuccess:       "PutEventsApproximateSuccessCount",
	mPutFailed:        "PutEventsApproximateFailedCount",
	mPutThrottled:     "PutEventsApproximateThrottledCount",
	mPutEntries:       "PutEventsEntriesCount",
	mPutFailedEntries: "PutEventsFailedEntriesCount",
}

// ruleMetricDims names each rule counter and the dimensions AWS publishes
// it with: None (account-wide), EventBusName, RuleName.
var ruleMetricDims = [numRuleMetrics]struct {
	name            string
	none, bus, rule bool
}{
	mMatchedEvents:                  {"MatchedEvents", false, true, true},
	mTriggeredRules:                 {"TriggeredRules", true, true, true},
	mInvocations:                    {"Invocations", true, false, true},
	mFailedInvocations:              {"FailedInvocations", false, false, true},
	mDeadLetterInvocations:          {"DeadLetterInvocations", false, false, true},
	mInvocationsSentToDlq:           {"InvocationsSentToDlq", false, false, true},
	mInvocationAttempts:             {"InvocationAttempts", true, true, true},
	mSuccessfulInvocationAttempts:   {"SuccessfulInvocationAttempts", true, true, true},
	mRetryInvocationAttempts:        {"RetryInvocationAttempts", true, true, true},
	mThrottledRules:                 {"ThrottledRules", true, true, true},
	mInvocationsCreated:             {"InvocationsCreated", true, false, false},
	mInvocationsFailedToBeSentToDlq: {"InvocationsFailedToBeSentToDlq", false, false, true},
}

// Metric is one CloudWatch-like counter value. Scope is the dimension: an
// account name (dimension None of that account's metrics), a bus
// reference (EventBusName) or a rule reference "account/bus/rule"
// (RuleName with EventBusName).
type Metric struct {
	Scope string
	Name  string
	Value uint64
}

func (x Metric) String() string {
	return x.Scope + " " + x.Name + " " + strconv.FormatUint(x.Value, 10)
}

// Metrics returns every non-zero counter (AWS emits most of these only
// when non-zero), in a deterministic order: per account in topology
// order, its account-wide values, then per bus it owns its bus values and
// per rule its rule values, each in a fixed metric order.
//
// MatchedEvents on a bus counts events that matched at least one enabled
// rule. PutEventsApproximateSuccessCount counts requests with no failed
// entry, PutEventsApproximateFailedCount requests refused for validation
// or with at least one failed entry (UNCONFIRMED split),
// PutEventsApproximateThrottledCount requests refused by throttling.
func (m *Model) Metrics() []Metric {
	var out []Metric
	add := func(scope, name string, v uint64) {
		if v != 0 {
			out = append(out, Metric{scope, name, v})
		}
	}
	for a := range m.accounts {
		as := &m.accounts[a]
		for k := 0; k < numAccountMetrics; k++ {
			add(as.name, accountMetricNames[k], as.metrics[k])
		}
		var sum [numRuleMetrics]uint64
		for b := range m.buses {
			if m.buses[b].acct == a && !m.buses[b].deleted {
				for i := range m.buses[b].rules {
					for k := range sum {
						sum[k] += m.buses[b].rules[i].metrics[k]
					}
				}
			}
		}
		for k := range sum {
			if ruleMetricDims[k].none {
				add(as.name, ruleMetricDims[k].name, sum[k])
			}
		}
		for b := range m.buses {
			bs := &m.buses[b]
			if bs.acct != a || bs.deleted {
				continue
			}
			var bsum [numRuleMetrics]uint64
			for i := range bs.rules {
				for k := range bsum {
					bsum[k] += bs.rules[i].metrics[k]
				}
			}
			bsum[mMatchedEvents] = bs.matched
			for k := range bsum {
				if ruleMetricDims[k].bus {
					add(bs.ref, ruleMetricDims[k].name, bsum[k])
				}
			}
			for i := range bs.rules {
				rs := &bs.rules[i]
				if rs.deleted {
					continue
				}
				for k := range rs.metrics {
					if ruleMetricDims[k].rule {
						add(bs.ref+"/"+rs.name, ruleMetricDims[k].name, rs.metrics[k])
					}
				}
			}
		}
	}
	return out
}
