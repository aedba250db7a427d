package backbone

// Lazy details. A harness that can rebuild an event's detail from a token
// (Params.Details) may publish entries without it (event.Entry.DetailLazy,
// DetailToken, and DetailBytes its exact size): a run of a million orders
// builds three million details of a few KiB that, when no pattern reads
// the detail, nothing ever reads. The record keeps the token, and the
// model builds the detail, once, when something reads it:
//
//   - a pattern that reads a path below "detail" (a bus's or an archive's);
//   - a handler's FailsOn (it may read anything), or its OnSuccess asking
//     HandlerCall.Detail;
//   - DLQMessages and Archive, which hand the events out;
//   - an observer that wants details (WantsDetails in its kinds: every
//     observer that is not Selective does).
//
// Until then the envelope's Detail is nil; sizes count DetailBytes, and
// validation trusts the harness (DetailValid). An event waiting in a
// backlog keeps its token whether its detail was built or not, and is
// rebuilt lazy: the detail is built again only if read again. The bytes
// are those the harness's Unpack gives, so what anything reads is the
// same as if the detail had been built from the start (the world's
// TestLazyDetailsChangeNothing). Without Params.Details a lazy entry has
// no detail: PutEvents refuses it (InvalidArgument).

// materialise builds a lazy record's detail.
func (m *Model) materialise(rec *record) {
	if !rec.lazy {
		return
	}
	rec.env.Detail = m.p.Details.Unpack(make([]byte, 0, rec.size), rec.token)
	rec.lazy = false
}
