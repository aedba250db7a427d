package backbone

// An accepted event's record is the one allocation the model makes per
// event, and with it the allocator's bookkeeping and its share of the
// garbage collector's assists. A model that draws ahead (Params.DrawAhead)
// has a goroutine allocate records in batches, ahead of their use, so
// that this cost leaves the model's goroutine as the latency draws' does.
// A record is a value of its own either way, freed when nothing refers to
// it: a batch never ties records' lifetimes together.

// recordBatch is how many records a goroutine allocates at a time (three
// batches in circulation: at most 6,144 records, about 1.5 MiB, made
// ahead).
const recordBatch = 2048

// allocRecords fills b with new, zeroed records.
func allocRecords(b []*record) {
	for i := range b {
		b[i] = new(record)
	}
}

// allocRecord returns a new, zeroed record.
func (m *Model) allocRecord() *record {
	if m.records != nil {
		return m.records.Next()
	}
	return new(record)
}
