package world

import (
	"unsafe"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/sim/backbone"
)

// observed are the kinds of observation the measurement uses: the model
// does not build the others (rule matches, handler starts and failures,
// retries, drops) unless a trace is written. What the world does with
// them is in notes.go (Observe) and measure.go (observed).
// Of the ingestions it uses only an order's arrival at the traffic bus,
// never a hop (backbone.OmitsHops).
var observed = backbone.KindsOf(backbone.KindPublishAccepted, backbone.KindIngested,
	backbone.KindHandlerAccepted, backbone.KindForwarded, backbone.KindDelivered,
	backbone.KindRouteLost, backbone.KindReplayed, backbone.KindRedriven, backbone.KindDeadLettered) |
	backbone.OmitsHops

// journeyID is the journey of an event: its detail's metadata says it
// (loadgen.JourneyOf, as a live run reads it), and the factory's entries
// carry it in their tag too (loadgen.JourneyTag), which saves the
// simulator that scan per observation. An untagged event is read from its
// detail.
func journeyID(tag uint64, env *event.Envelope) (uint64, bool) {
	if jid, ok := loadgen.JourneyOfTag(tag); ok {
		return jid, true
	}
	return loadgen.JourneyOf(env.Detail)
}

// handlerOf returns the handler reference a handler consumer
// ("account/bus/rule/target") is fed through: services are named after
// their rule, in their own account.
func handlerOf(consumer string) string {
	acct, rest := cut(consumer)
	_, rest = cut(rest) // bus
	rule, _ := cut(rest)
	return acct + "/" + rule
}

func cut(s string) (string, string) {
	for i := 0; i < len(s); i++ {
		if s[i] == '/' {
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// handlerSlot is a lookaside slot of isHandlerConsumer.
type handlerSlot struct {
	consumer     string
	handler, set bool
}

// stringSlot hashes where s's bytes are, for the lookaside caches: equal
// strings at different places just land in different slots.
func stringSlot(s string) uint {
	p := uint(uintptr(unsafe.Pointer(unsafe.StringData(s))))
	return p>>3 ^ p>>11 ^ uint(len(s))
}
