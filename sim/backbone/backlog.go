package backbone

import (
	"unsafe"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/sim"
)

// DetailCodec lets the model keep an event that waits in a handler's
// backlog without its detail bytes: an overloaded handler can hold
// hundreds of thousands of waiting events, and their details are most of
// a run's memory. It changes what the model keeps, never what it does.
//
// Pack returns a small token from which Unpack rebuilds env's detail, or
// false when it cannot; tag is the event's event.Entry.Tag. Unpack
// appends the detail of a token to dst: exactly env.Detail, byte for
// byte, however late it is called. The model trusts the codec on this
// (checking each token would cost as much as the detail it saves): a
// codec that breaks it changes the events handlers see.
type DetailCodec interface {
	Pack(env *event.Envelope, tag uint64) (token uint64, ok bool)
	Unpack(dst []byte, token uint64) []byte
}

// waiting is one invocation in a handler's backlog. When the model could
// pack its record (see Model.park), e.rec is nil and the rest describes
// the record: it is rebuilt, byte for byte, when the invocation leaves the
// backlog.
type waiting struct {
	e          ev
	tag, token uint64
	at         sim.Time // the record's acceptance time; env.Time is at.Wall()
	idHi, idLo uint64   // the envelope id's 128 bits
	sender     int32
	meta       int32 // index in Model.metas
}

// envMeta is the part of an envelope that few events differ in.
type envMeta struct {
	detailType, source, account, region string
}

// maxMetas bounds the interned envelope metas; events with others wait
// unpacked.
const maxMetas = 256

// backlogChunk is the number of invocations per backlog chunk.
const backlogChunk = 2048

// backlog is a FIFO of waiting invocations in fixed-size chunks: it grows
// without copying what it holds and gives memory back as it drains.
type backlog struct {
	chunks [][]waiting
	head   int // next to pop in chunks[0]
	n      int
	spare  []waiting
}

func (b *backlog) len() int { return b.n }

func (b *backlog) push(w waiting) {
	last := len(b.chunks) - 1
	if last < 0 || len(b.chunks[last]) == backlogChunk {
		c := b.spare
		b.spare = nil
		if c == nil {
			c = make([]waiting, 0, backlogChunk)
		}
		b.chunks = append(b.chunks, c)
		last++
	}
	b.chunks[last] = append(b.chunks[last], w)
	b.n++
}

func (b *backlog) pop() waiting {
	c := b.chunks[0]
	w := c[b.head]
	c[b.head] = waiting{}
	b.head++
	b.n--
	if b.head == len(c) && (b.head == backlogChunk || b.n == 0) {
		b.spare = c[:0]
		b.chunks[0] = nil
		b.chunks = b.chunks[1:]
		b.head = 0
		if len(b.chunks) == 0 {
			b.chunks = nil
		}
	}
	return w
}

// park appends invocation e to backlog q, packing its record when the
// record is rebuildable from the waiting entry: an event published (not
// replayed) with no resources and the publish time as its time, whose
// detail the codec packs. Anything else waits with its record (a
// reference to it). A packed entry is a holding of its own (see Holder).
func (m *Model) park(q *backlog, e ev) {
	w := waiting{e: e}
	if rec := e.rec; m.p.Details != nil && m.packable(rec) {
		tok, ok := rec.token, rec.lazy
		if !ok {
			tok, ok = m.p.Details.Pack(&rec.env, rec.tag)
		}
		if ok {
			if mi := m.metaIndex(&rec.env); mi >= 0 {
				w.e.rec = nil
				w.tag, w.token, w.at = rec.tag, tok, rec.at
				w.idHi, w.idLo = parseID(&rec.id)
				w.sender, w.meta = rec.sender, int32(mi)
			}
		}
	}
	if w.e.rec != nil {
		m.ref(w.e.rec)
	} else if m.holds != nil {
		m.holds.Hold(&e.rec.env, e.rec.tag)
	}
	q.push(w)
}

// startWaiting starts a run of handler h on its oldest waiting
// invocation.
func (m *Model) startWaiting(h *handlerState) {
	e := m.unpark(&h.backlog)
	m.handlerStart(h, e)
	m.unref(e.rec) // the backlog's reference, now the run's
}

// unpark pops the oldest invocation of backlog q, rebuilding its record
// if it was packed. The caller owns one reference to the record.
func (m *Model) unpark(q *backlog) ev {
	w := q.pop()
	if w.e.rec != nil {
		return w.e
	}
	md := &m.metas[w.meta]
	rec := &record{tag: w.tag, at: w.at, sender: w.sender, replay: -1}
	formatID(rec, w.idHi, w.idLo)
	rec.env.DetailType = md.detailType
	rec.env.Source = md.source
	rec.env.Account = md.account
	rec.env.Region = md.region
	rec.env.Time = m.Wall(w.at)
	// The detail is built again when something reads it (lazy.go).
	rec.lazy, rec.token = true, w.token
	m.ref(rec)
	if m.holds != nil {
		m.holds.Release(&rec.env, rec.tag) // the packed entry's holding
	}
	e := w.e
	e.rec = rec
	return e
}

// packable reports whether everything of rec but its detail is
// rebuildable from a waiting entry.
func (m *Model) packable(rec *record) bool {
	return rec.replay < 0 && rec.env.ReplayName == "" && rec.env.Resources == nil &&
		len(rec.env.ID) == len(rec.id) && unsafe.StringData(rec.env.ID) == &rec.id[0] &&
		rec.env.Time == m.Wall(rec.at)
}

// metaIndex returns the index of env's meta in m.metas, adding it if
// there is room; -1 when there is none.
func (m *Model) metaIndex(env *event.Envelope) int {
	md := envMeta{env.DetailType, env.Source, env.Account, env.Region}
	for i := range m.metas {
		if m.metas[i] == md {
			return i
		}
	}
	if len(m.metas) == maxMetas {
		return -1
	}
	m.metas = append(m.metas, md)
	return len(m.metas) - 1
}

// parseID returns the 128 bits of an id written by formatID.
func parseID(id *[36]byte) (hi, lo uint64) {
	j := 0
	for i := 0; i < 16; i++ {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			j++
		}
		v := uint64(unhex(id[j])<<4 | unhex(id[j+1]))
		if i < 8 {
			hi = hi<<8 | v
		} else {
			lo = lo<<8 | v
		}
		j += 2
	}
	return hi, lo
}

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c - 'a' + 10
}
