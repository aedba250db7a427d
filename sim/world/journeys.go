package world

import (
	"time"

	"github.com/busdrill/busdrill/internal/journeytable"
)

// journeyState is what the model's side of the world keeps of a journey
// (its measurement is the measure's: actors.Journeys there): its intended
// time, from which the factory rebuilds its events and details; what
// holds it (see retire.go); and the runtime's marks.
type journeyState struct {
	intended time.Duration
	holds    uint32
	flags    uint8
}

// flagPoison marks an order a poison fault chose: its events fail the
// targeted service's runs.
const flagPoison uint8 = 1

// journeyStates are the journeys started and not retired, by index (a
// shard's journeys are dense at j/stride).
type journeyStates struct {
	stride uint64
	table  journeytable.Table[journeyState]
}

func (js *journeyStates) index(j uint64) uint64 {
	if js.stride <= 1 {
		return j
	}
	return j / js.stride
}

// start records that order j was sent for its intended time.
func (js *journeyStates) start(j uint64, intended time.Duration) *journeyState {
	st, _ := js.table.Put(js.index(j))
	*st = journeyState{intended: intended}
	return st
}

// known returns journey j if it was started and not retired. The pointer
// is valid until the next start or retire.
func (js *journeyStates) known(j uint64) (*journeyState, bool) {
	st := js.table.Get(js.index(j))
	return st, st != nil
}

// hold records that something still refers to journey j.
func (js *journeyStates) hold(j uint64) {
	if st, ok := js.known(j); ok {
		st.holds++
	}
}

// release drops a hold of journey j and reports whether it was the last.
func (js *journeyStates) release(j uint64) (last bool) {
	st, ok := js.known(j)
	if !ok || st.holds == 0 {
		return false
	}
	st.holds--
	return st.holds == 0
}

// idle reports whether journey j was started and nothing holds it.
func (js *journeyStates) idle(j uint64) bool {
	st, ok := js.known(j)
	return ok && st.holds == 0
}

// retire forgets journey j.
func (js *journeyStates) retire(j uint64) { js.table.Delete(js.index(j)) }

// len returns the number of journeys started and not retired.
func (js *journeyStates) len() int { return js.table.Len() }
