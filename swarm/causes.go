package swarm

import (
	"github.com/busdrill/busdrill/chaos"
	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/scenarios"
)

// causeSources says, for each loss cause only a fault (or a setting the
// scenario states) can produce, whether the scenario has one: a loss
// booked under such a cause in a run that has none is inconsistent (the
// model attributed a loss to something that did not happen). Causes not
// listed can arise from the configuration alone (throttled and
// ThrottlingException at a quota, unknown-bus, match-budget, the hop
// limit) and are not checked.
//
// The model books a loss only on a route the nominal topology expects,
// so a permission never granted or a rule written DISABLED loses
// nothing; what the ledger loses for such causes came from a fault.
var causeSources = map[string]func(*scenarios.Scenario) bool{
	"rule-disabled":                  hasFault(chaos.KindDisable),
	"FAILED_TO_ASSUME_ROLE":          hasFault(chaos.KindRevoke),
	"AccessDeniedException":          hasFault(chaos.KindRevoke),
	"CROSS_ACCOUNT_INGESTION_FAILED": hasFault(chaos.KindRevoke),
	"NO_PERMISSIONS":                 anyOf(hasFault(chaos.KindRevoke), outageCode("NO_PERMISSIONS")),
	"InternalFailure":                entryError("InternalFailure"),
	"handler-failed":                 anyOf(hasFault(chaos.KindPoison), handlersFail),
	"oversized":                      anyOf(hasFault(chaos.KindOversize), payloadMayExceed),
	"ERROR_FROM_TARGET":              outageCode("ERROR_FROM_TARGET"),
	"NO_RESOURCE":                    outageCode("NO_RESOURCE"),
	"THROTTLING":                     outageCode("THROTTLING"),
	"CONNECTION_FAILURE":             outageCode("CONNECTION_FAILURE"),
	"TIMEOUT":                        outageCode("TIMEOUT"),
	"INTERNAL_ERROR":                 outageCode("INTERNAL_ERROR"),
	"SDK_CLIENT_ERROR":               outageCode("SDK_CLIENT_ERROR"),
	"TRANSIENT_ASSUME_ROLE":          outageCode("TRANSIENT_ASSUME_ROLE"),
}

// causeExplained reports whether the scenario has a source for cause.
func causeExplained(sc *scenarios.Scenario, cause string) bool {
	src, listed := causeSources[cause]
	return !listed || src(sc)
}

func hasFault(kind string) func(*scenarios.Scenario) bool {
	return func(sc *scenarios.Scenario) bool { return sc.Faults.Has(kind) }
}

func anyOf(fs ...func(*scenarios.Scenario) bool) func(*scenarios.Scenario) bool {
	return func(sc *scenarios.Scenario) bool {
		for _, f := range fs {
			if f(sc) {
				return true
			}
		}
		return false
	}
}

func outageCode(code string) func(*scenarios.Scenario) bool {
	return func(sc *scenarios.Scenario) bool {
		for i := range sc.Faults.Faults {
			if f := &sc.Faults.Faults[i]; f.Kind == chaos.KindOutage && f.Code == code {
				return true
			}
		}
		return false
	}
}

func entryError(code string) func(*scenarios.Scenario) bool {
	return func(sc *scenarios.Scenario) bool {
		for i := range sc.Faults.Faults {
			if f := &sc.Faults.Faults[i]; f.Kind == chaos.KindThrottle && f.EntryError == code {
				return true
			}
		}
		return false
	}
}

// handlersFail: a service fails some of its runs by itself.
func handlersFail(sc *scenarios.Scenario) bool {
	for _, s := range sc.Services {
		if s.FailureProbability > 0 {
			return true
		}
	}
	return false
}

// payloadMayExceed: the payload is not a constant size well within the
// request limit (a distribution can draw an oversized order by itself;
// an entry's envelope and harness metadata add well under 16 KiB).
const envelopeMargin = 16 << 10

func payloadMayExceed(sc *scenarios.Scenario) bool {
	c, ok := sc.Traffic.Payload.(rng.Constant)
	limit := sc.Model.MaxRequestBytes
	if limit == 0 {
		limit = event.DefaultMaxRequestBytes
	}
	return !ok || c.Value+envelopeMargin >= float64(limit)
}
