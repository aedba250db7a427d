package loadgen

import "bytes"

// journeyKey is how the journey id appears in detail.metadata.
var journeyKey = []byte(`"journey_id":"j-`)

// JourneyOf returns the journey (global order index) an event belongs to,
// read from its detail's metadata. It is how both worlds correlate what
// they observe: the simulator from the envelope, a live run from the SQS
// message body (never from the envelope id or account, which emulators
// rewrite). It scans only as far as the key, which the factory writes
// near the start of every detail, and does not allocate.
func JourneyOf(detail []byte) (uint64, bool) {
	i := bytes.Index(detail, journeyKey)
	if i < 0 {
		return 0, false
	}
	var n uint64
	digits := 0
	for _, c := range detail[i+len(journeyKey):] {
		if c == '"' {
			break
		}
		if c < '0' || c > '9' || digits == 19 {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
		digits++
	}
	return n, digits > 0
}

// JourneyTag is the event.Entry.Tag of the events of journey i (see
// Factory.Entry): i+1, so that no journey's tag is the zero "untagged".
func JourneyTag(i uint64) uint64 { return i + 1 }

// JourneyOfTag returns the journey of a tag made by JourneyTag; false for
// an untagged entry (tag 0). Only the simulator sees tags: a live run
// reads the journey from the detail (JourneyOf).
func JourneyOfTag(tag uint64) (uint64, bool) { return tag - 1, tag != 0 }

// KindOf returns the journey step of a detail-type under the factory's
// event types.
func (f *Factory) KindOf(detailType string) (Kind, bool) {
	for k := OrderCreated; k <= OrderUpdated; k++ {
		if f.Type(k).DetailType == detailType {
			return k, true
		}
	}
	return 0, false
}
