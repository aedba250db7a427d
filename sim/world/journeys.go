package world

import "github.com/busdrill/busdrill/sim"

// journey is what the world remembers of one order to measure its hops.
type journey struct {
	intended sim.Time
	// ingested: Order.Created reached the traffic bus; accepted: the
	// first service accepted it; emitted: Delivery.Updated was published.
	ingested, accepted, emitted sim.Time
	flags                       uint8
}

const (
	jIngested uint8 = 1 << iota
	jAccepted
	jHandled
	jEmitted
	jCompleted
	// jPoison: a poison fault marked the order; its events fail the
	// targeted service's runs.
	jPoison
)

// journeys is indexed by journey/stride: a shard sees every stride-th
// journey, so the table stays dense. 40 bytes per order.
type journeys struct {
	stride uint64
	list   []journey
}

func (js *journeys) get(j uint64) *journey {
	i := j / js.stride
	if i >= uint64(len(js.list)) {
		js.list = append(js.list, make([]journey, int(i)+1-len(js.list)+len(js.list)/2)...)
	}
	return &js.list[i]
}

// known returns the journey if it was started in this run.
func (js *journeys) known(j uint64) (*journey, bool) {
	i := j / js.stride
	if i >= uint64(len(js.list)) {
		return nil, false
	}
	return &js.list[i], true
}
