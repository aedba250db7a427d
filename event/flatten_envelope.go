package event

import "unsafe"

// FlattenEnvelope flattens an Envelope into f as if it had been delivered
// as JSON (see [Envelope.AppendJSON]) and flattened with FlattenJSON, but
// without building the JSON: the top-level fields come straight from the
// struct, "version" is "0", "replay-name" exists only when set, each
// Resources entry is an element of the "resources" array, "time" is
// formatted with [TimeLayout] only when it is on a path, and Detail is
// parsed only when some path goes below "detail".
//
// A Detail that is not a well-formed JSON object contributes no fields
// (PutEvents never accepts one, so this only concerns hand-built
// envelopes). f.Top is set as for a valid event.
func (ps *PathSet) FlattenEnvelope(e *Envelope, f *Flat) {
	f.Reset()
	f.Top = MandatoryTop | TopResources | TopDetail | TopVersion
	if ps.version >= 0 {
		f.emit(ps.version, KindString, "0", 0)
	}
	if ps.id >= 0 {
		f.emit(ps.id, KindString, e.ID, 0)
	}
	if ps.detailType >= 0 {
		f.emit(ps.detailType, KindString, e.DetailType, 0)
	}
	if ps.source >= 0 {
		f.emit(ps.source, KindString, e.Source, 0)
	}
	if ps.account >= 0 {
		f.emit(ps.account, KindString, e.Account, 0)
	}
	if ps.time >= 0 {
		start := len(f.buf)
		f.buf = e.Time.UTC().AppendFormat(f.buf, TimeLayout)
		f.emit(ps.time, KindString, unsafe.String(&f.buf[start], len(f.buf)-start), 0)
	}
	if ps.region >= 0 {
		f.emit(ps.region, KindString, e.Region, 0)
	}
	if ps.replayName >= 0 && e.ReplayName != "" {
		f.emit(ps.replayName, KindString, e.ReplayName, 0)
	}
	if ps.resources >= 0 && len(e.Resources) > 0 {
		f.chain = append(f.chain[:0], ArrayPos{Array: f.nextArr})
		f.nextArr++
		for i, r := range e.Resources {
			f.chain[0].Index = int32(i)
			f.emit(ps.resources, KindString, r, 0)
		}
		f.chain = f.chain[:0]
	}
	if ps.detail != nil && len(e.Detail) > 0 {
		n, na := len(f.Fields), len(f.arrays)
		if err := f.scan(e.Detail, ps.detail, false); err != nil {
			f.Fields, f.arrays, f.chain = f.Fields[:n], f.arrays[:na], f.chain[:0]
		}
	}
}
