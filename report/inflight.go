package report

// InFlight is the number of expected deliveries that have not ended yet
// (delivered, dead-lettered or dropped) on any route: the ledger's in
// flight, at any moment of a run rather than at its cut-off. It costs a
// pass over the routes (a handful), so a caller may ask every virtual
// second.
func (r *Recorder) InFlight() int64 {
	var n int64
	for _, rs := range r.routes {
		n += max(rs.expected-rs.delivered-rs.dlqCount-rs.droppedTotal(), 0)
	}
	return n
}
