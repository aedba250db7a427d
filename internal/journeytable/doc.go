// Package journeytable is a table of per-journey state indexed by a dense
// journey index (a shard's order index), whose memory follows the entries
// present, not the highest index a run reached.
//
// A run creates journeys at increasing indexes and, in the simulator,
// forgets each once nothing can happen to it any more (see
// actors.Journeys.Retire): a table keeps what the journeys in flight need
// and gives the rest back, so that a soak of 48 million orders holds what
// its few thousand journeys in flight hold.
//
// # Layout
//
// Entries live in pages of [PageSize] consecutive indexes, allocated when
// an entry is first put in them. Each page counts its entries; the newest
// page (the one of the highest index put) sets the table's head. A page
// whose entries were all deleted is freed once it is more than Lag pages
// behind the head, far enough that no entry is likely to be created in it
// again: entries are created about in index order, give or take the
// latencies of a journey, which a few pages absorb at any rate. A page
// within Lag of the head stays (or is allocated again) even when empty.
//
// The exceptions go to a map of single entries, the spill:
//
//   - an entry created in a page more than Lag behind the head that is not
//     resident (freed, or never allocated): a late first delivery, say;
//   - the stragglers of old, sparse pages: when the resident pages hold
//     less than a quarter of their capacity (not counting the Lag pages
//     next to the head), the oldest pages at most a quarter full move
//     their entries to the spill and are freed. A journey that stays in
//     flight for hours (a message in a dead-letter queue awaiting its
//     redrive, a retry with a long backoff) costs its entry, not a page;
//   - an entry more than MaxSpan pages beyond the oldest resident page,
//     which moves every resident entry to the spill first (an index
//     jump no run makes, bounded all the same).
//
// A page is either resident or has its entries in the spill, never both,
// so a lookup looks at the page of its index and only then, if the spill
// holds anything, in the spill. Memory is at most about four times the
// dense size of the entries present, plus Lag + 1 pages, plus the spilled
// entries one by one; a page table entry (8 bytes) per page between the
// oldest resident page and the head. Go maps do not shrink, so the spill
// keeps the size of its largest population.
//
// # Use
//
//	var t journeytable.Table[state]
//	s, created := t.Put(j)   // the entry of j, created zeroed if absent
//	s = t.Get(j)             // nil when absent
//	t.Delete(j)              // forget it
//
// A pointer returned by Get or Put is valid until the next Put or Delete
// on the same table. A Table is not safe for concurrent use; the zero
// value is an empty table ready to use. A table of struct{} is a set: it
// costs a bit per index of its resident pages.
package journeytable
