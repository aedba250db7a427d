package backbone

import "math/rand/v2"

// An accepted event's record is the one allocation the model makes per
// event, and with it the allocator's bookkeeping and its share of the
// garbage collector's assists; its event id, a version-4 UUID from the
// "ids" stream, is two draws and 36 digits to format. Every record made
// for a new event takes the next id of that stream and nothing else draws
// from it, so the k-th record has the k-th id whenever it is made: a
// model that draws ahead (Params.DrawAhead) has a goroutine make records
// in batches, ids included, ahead of their use, so that this cost leaves
// the model's goroutine as the latency draws' does. A record is a value
// of its own either way, freed when nothing refers to it: a batch never
// ties records' lifetimes together.

// recordBatch is how many records a goroutine makes at a time (three
// batches in circulation: at most 6,144 records, about 1.5 MiB, made
// ahead).
const recordBatch = 2048

// recordMaker returns the fill function of records made ahead: each a new
// record with its id drawn from ids, which the filler's goroutine then
// owns.
func recordMaker(ids *rand.Rand) func([]*record) {
	return func(b []*record) {
		for i := range b {
			b[i] = newIDRecord(ids)
		}
	}
}

// newIDRecord returns a zeroed record but for its id, the next of ids.
func newIDRecord(ids *rand.Rand) *record {
	rec := new(record)
	drawID(rec, ids)
	return rec
}

// allocRecord returns a new record, zeroed but for its new id (see
// above): the record of a new event, or of a replayed one given a new id.
func (m *Model) allocRecord() *record {
	if m.records.Started() {
		return m.records.Next()
	}
	return newIDRecord(m.rIDs)
}
