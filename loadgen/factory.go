package loadgen

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/rng"
)

// Names of the rng streams the factory derives its per-order draws from.
const (
	// StreamPayload sizes each order's detail.
	StreamPayload = "payload"
	// StreamOrigins picks each order's originating account.
	StreamOrigins = "origins"
	// StreamOrders draws each order's business fields (customer, items).
	StreamOrders = "orders"
)

// Kind is one of the three events of an order journey.
type Kind uint8

const (
	// OrderCreated starts a journey: the order service publishes it.
	OrderCreated Kind = iota
	// DeliveryUpdated is the delivery service's answer.
	DeliveryUpdated
	// OrderUpdated ends the journey: the order service publishes it on
	// seeing DeliveryUpdated.
	OrderUpdated
)

func (k Kind) String() string {
	switch k {
	case OrderCreated:
		return "order-created"
	case DeliveryUpdated:
		return "delivery-updated"
	case OrderUpdated:
		return "order-updated"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// EventType is the source and detail-type of one kind of event.
type EventType struct {
	Source, DetailType string
}

// The reference example's event types, the defaults of [FactoryConfig].
var (
	DefaultOrderCreated    = EventType{Source: "busdrill.orders", DetailType: "Order.Created"}
	DefaultDeliveryUpdated = EventType{Source: "busdrill.delivery", DetailType: "Delivery.Updated"}
	DefaultOrderUpdated    = EventType{Source: "busdrill.orders", DetailType: "Order.Updated"}
)

// FactoryConfig configures a [Factory]. Zero fields take the defaults
// noted on them.
type FactoryConfig struct {
	// RunID names the run; it is in every event's metadata and in every
	// idempotency key. Required.
	RunID string
	// EventBusName is put on every entry (a name or an ARN; empty means
	// the producer's default bus).
	EventBusName string
	// The event types of the journey; zero values take the Default*
	// types above.
	OrderCreated, DeliveryUpdated, OrderUpdated EventType
	// Payload is the distribution of len(Detail) in bytes, drawn per
	// order. Nil means no padding: every detail is its fixed part only.
	Payload rng.Dist
	// MaterialiseLimit, when positive, is the largest detail Entry
	// builds: the largest a PutEvents limit of the run can accept. An
	// order drawn larger (a typo such as payload: 1TB, or a heavy tail)
	// gets an entry whose DetailBytes is its size and whose Detail is a
	// representative of the real one: the same fields, with
	// RepresentativePadding bytes of padding. Size checks refuse it for
	// its real size without it ever being built, and routing decisions
	// made on it are those the real detail would get, since no pattern
	// (at most pattern.MaxPatternSize characters) can tell that padding
	// from a longer one.
	MaterialiseLimit int
	// Origins are the accounts that originate orders. Required.
	Origins []Origin
	// RoundRobin cycles through Origins by global index, ignoring
	// weights; otherwise each order's origin is a weighted draw.
	RoundRobin bool
	// Customers is the number of distinct customer ids (default 10000).
	Customers uint64
	// MaxItems is the largest number of line items in an order (default
	// 3); each order has 1 … MaxItems.
	MaxItems int
}

// withDefaults fills zero fields.
func (c FactoryConfig) withDefaults() FactoryConfig {
	def := func(t *EventType, d EventType) {
		if t.Source == "" {
			t.Source = d.Source
		}
		if t.DetailType == "" {
			t.DetailType = d.DetailType
		}
	}
	def(&c.OrderCreated, DefaultOrderCreated)
	def(&c.DeliveryUpdated, DefaultDeliveryUpdated)
	def(&c.OrderUpdated, DefaultOrderUpdated)
	if c.Customers == 0 {
		c.Customers = 10000
	}
	if c.MaxItems == 0 {
		c.MaxItems = 3
	}
	return c
}

// Validate returns every problem with the configuration.
func (c FactoryConfig) Validate() []error {
	var errs []error
	if c.RunID == "" {
		errs = append(errs, errors.New("factory: run id is required"))
	}
	if c.MaterialiseLimit < 0 {
		errs = append(errs, fmt.Errorf("factory: the materialise limit must not be negative, got %d", c.MaterialiseLimit))
	}
	if c.MaxItems < 0 {
		errs = append(errs, fmt.Errorf("factory: max items must not be negative, got %d", c.MaxItems))
	}
	return append(errs, validateOrigins(c.Origins, c.RoundRobin)...)
}

// Order is everything the harness decides about one order, derived from
// its arrival alone: the same arrival gives the same Order in every shard
// and every run with the same seed. Build it with [Factory.Order]; a
// service stand-in that needs a later event of the journey rebuilds it
// from the journey id ([ParseJourneyID]) and the intended time.
type Order struct {
	// Index and At are the arrival's.
	Index uint64
	At    time.Duration
	// Origin is the account that publishes OrderCreated.
	Origin string
	// Size is the target len(Detail) in bytes; details never come out
	// shorter than their fixed part, whatever Size says.
	Size int
	// Customer is the customer number, 0 ≤ Customer < Customers.
	Customer uint64
	// Items is the number of line items, 1 ≤ Items ≤ MaxItems.
	Items int
	// itemKey seeds the items' skus and quantities.
	itemKey uint64
}

// Factory builds the events of order journeys. It holds a scratch
// generator for payload sizes, so it is not safe for concurrent use;
// factories built from the same config and streams are interchangeable.
type Factory struct {
	cfg     FactoryConfig
	origins origins
	// escaped JSON string contents (without quotes) of fixed strings
	runID string
	types [3]EventType
	dtEsc [3]string
	// headFixed[k] is headBound's part of kind k that no order changes.
	headFixed [3]int

	payloadKey [2]uint64
	ordersKey  uint64
	sizer      Sizer     // draws payload sizes (sizer.go)
	sizes      sizeMemo  // recent orders' payload sizes (sizememo.go)
	head       []byte    // IsDetail's scratch
	slabs      [3][]byte // detailBuf's current slab, by kind
	originLens []originLen
}

// slabSize is the size of the slabs detailBuf carves details from.
const slabSize = 64 << 10

// detailBuf returns an empty buffer of capacity n for a detail. Small
// buffers are carved from a shared slab (one allocation for many
// details, which saves the allocator's per-object work): each has its
// capacity limited to n, so appending past it reallocates and never
// touches a neighbour, and a slab is freed once none of its details is
// reachable. Each kind has its own slabs: the events of a kind live about
// as long as one another, those of different kinds may not (an order's
// first event waits for its slow consumer, its next ones do not), and a
// slab lives as long as its longest-lived detail.
func (f *Factory) detailBuf(k Kind, n int) []byte {
	if n > slabSize/8 || int(k) >= len(f.slabs) {
		return make([]byte, 0, n)
	}
	slab := &f.slabs[k]
	if cap(*slab)-len(*slab) < n {
		*slab = make([]byte, 0, slabSize)
	}
	off := len(*slab)
	*slab = (*slab)[:off+n]
	return (*slab)[off : off : off+n]
}

// NewFactory validates cfg and returns its factory. The per-order draws
// come from the named streams [StreamPayload], [StreamOrigins] and
// [StreamOrders] of streams: each stream yields keys, and order i's draws
// are seeded by (key, i), so they are independent of every other order.
func NewFactory(cfg FactoryConfig, streams rng.Streams) (*Factory, error) {
	if errs := cfg.Validate(); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	cfg = cfg.withDefaults()
	cfg.Origins = append([]Origin(nil), cfg.Origins...)
	f := &Factory{cfg: cfg}
	f.runID = escape(cfg.RunID)
	f.types = [3]EventType{cfg.OrderCreated, cfg.DeliveryUpdated, cfg.OrderUpdated}
	for i, t := range f.types {
		f.dtEsc[i] = escape(t.DetailType)
		f.headFixed[i] = f.headFixedBound(Kind(i))
	}
	p := streams.Get(StreamPayload)
	f.payloadKey = [2]uint64{p.Uint64(), p.Uint64()}
	f.ordersKey = streams.Get(StreamOrders).Uint64()
	f.origins = newOrigins(cfg.Origins, cfg.RoundRobin, streams.Get(StreamOrigins).Uint64())
	f.sizer = newSizer(f.payloadKey, cfg.Payload)
	return f, nil
}

// Config returns the factory's configuration, defaults filled in.
func (f *Factory) Config() FactoryConfig { return f.cfg }

// Type returns the source and detail-type of kind k.
func (f *Factory) Type(k Kind) EventType { return f.types[k] }

// Order decides the order of arrival a.
func (f *Factory) Order(a Arrival) Order {
	o := Order{Index: a.Index, At: a.At, Origin: f.origins.pick(a.Index)}
	if f.cfg.Payload != nil {
		o.Size = f.size(a.Index)
	}
	h := hashIndex(f.ordersKey, a.Index)
	o.Customer, _ = bits.Mul64(h, f.cfg.Customers)
	h = splitmix64(h)
	items, _ := bits.Mul64(h, uint64(f.cfg.MaxItems))
	o.Items = int(items) + 1
	o.itemKey = splitmix64(h)
	return o
}

// size is the payload size of order i: remembered, or drawn from the
// order's own seed.
func (f *Factory) size(i uint64) int {
	if n, ok := f.sizes.get(i); ok {
		return n
	}
	n := f.sizer.Size(i)
	f.sizes.put(i, n)
	return n
}

// RememberSize tells f that order i's payload size is size, as a Sizer of
// f's drew it (ahead of the order, on another goroutine): the order's
// next Order call need not draw it. A size that is not the Sizer's would
// change the order; a size remembered is still forgotten as recent
// orders' sizes are (sizememo.go).
func (f *Factory) RememberSize(i uint64, size int) { f.sizes.put(i, size) }

// maxOrderBytes caps a drawn size (1 TiB): far beyond any limit, and far
// from overflowing the arithmetic of sizes.
const maxOrderBytes = 1 << 40

// RepresentativePadding is the padding of a representative detail (see
// FactoryConfig.MaterialiseLimit): twice the longest pattern.
const RepresentativePadding = 8 << 10

// sizeOf rounds a sampled size to whole bytes, never negative, capped.
func sizeOf(v float64) int {
	if !(v > 0) {
		return 0
	}
	if v > maxOrderBytes {
		return maxOrderBytes
	}
	return int(math.Round(v))
}

// Entry returns the PutEvents entry of kind k for o, with a freshly
// allocated Detail (entries are shared once published, so the detail must
// not be reused) and tagged with its journey (JourneyTag(o.Index), the
// journey its detail's metadata names: a caller that changes the detail
// must change or clear the tag), and marked DetailValid: the details the
// factory builds are JSON objects within PutEvents' rules by
// construction (TestEntriesAreValid), so the simulator does not scan
// them again.
//
// An order larger than the config's MaterialiseLimit gets a
// representative detail and DetailBytes (see FactoryConfig), and no tag:
// its detail is not the factory's.
func (f *Factory) Entry(o *Order, k Kind) event.Entry {
	t := f.types[k]
	e := event.Entry{
		EventBusName: f.cfg.EventBusName,
		Source:       t.Source,
		DetailType:   t.DetailType,
	}
	if lim := f.cfg.MaterialiseLimit; lim > 0 && o.Size > lim {
		rep := *o
		rep.Size = RepresentativePadding + 512
		e.Detail = f.AppendDetail(make([]byte, 0, rep.Size+512), &rep, k)
		e.DetailBytes = o.Size
		e.DetailValid = true
		return e
	}
	e.Detail = f.AppendDetail(f.detailBuf(k, max(o.Size, 384)), o, k)
	e.Tag = JourneyTag(o.Index)
	e.DetailValid = true
	return e
}

// LazyEntry is Entry without the detail built: Detail is nil, DetailBytes
// its exact size (what Entry's would be), and DetailLazy is set; the
// caller sets DetailToken, by which it rebuilds the detail (AppendDetail)
// when something reads it. An order past MaterialiseLimit gets Entry's
// representative, built: it is small.
func (f *Factory) LazyEntry(o *Order, k Kind) event.Entry {
	if lim := f.cfg.MaterialiseLimit; lim > 0 && o.Size > lim {
		return f.Entry(o, k)
	}
	t := f.types[k]
	return event.Entry{
		EventBusName: f.cfg.EventBusName,
		Source:       t.Source,
		DetailType:   t.DetailType,
		DetailBytes:  f.DetailSize(o, k),
		DetailValid:  true,
		DetailLazy:   true,
		Tag:          JourneyTag(o.Index),
	}
}

// DetailSize is the length of the detail of kind k for o (AppendDetail's),
// without building it. The padding makes it o.Size whenever the head and
// closing fit in that (usually, by far): a bound of the head's length
// (headBound) tells so in a few operations; otherwise the head's length
// is worked out (headLen).
func (f *Factory) DetailSize(o *Order, k Kind) int {
	if o.Size >= f.headBound(o, k)+len(closing) {
		return o.Size
	}
	head := f.headLen(o, k)
	return head + f.padding(o, head) + len(closing)
}

// Fixed strings of the detail.
const padChunk = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" +
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"

// AppendDetail appends the detail JSON of kind k for o to dst:
//
//	{"metadata":{"run_id":…,"journey_id":…,"intended_ns":…,"idempotency_key":…,"origin":…},
//	 "data":{"order_id":…, …kind's fields…, "padding":"xxx…"}}
//
// (on one line, no spaces). The padding makes the appended bytes exactly
// o.Size long, or as short as the fixed part when that is longer. Every
// kind of the journey carries the same metadata (run, journey, intended
// time of the order) and the same size; the idempotency key is
// run/order/detail-type, unique per event of a journey. k must be one of
// the three kinds.
func (f *Factory) AppendDetail(dst []byte, o *Order, k Kind) []byte {
	start := len(dst)
	dst = f.appendHead(dst, o, k)
	dst = appendPadding(dst, f.padding(o, len(dst)-start))
	return append(dst, closing...)
}

// closing ends every detail, after the padding.
const closing = `"}}`

// padding is the number of padding bytes of a detail whose head is head
// bytes long.
func (f *Factory) padding(o *Order, head int) int {
	return max(o.Size-head-len(closing), 0)
}

// The fixed parts of a detail's head, in order (see appendHead).
const (
	headRunID       = `{"metadata":{"run_id":"`
	headJourneyID   = `","journey_id":"`
	headIntended    = `","intended_ns":`
	headIdemKey     = `,"idempotency_key":"`
	headOrigin      = `","origin":`
	headOrderID     = `},"data":{"order_id":"`
	headCustomer    = `","customer_id":"c-`
	headItems       = `","items":[`
	headItem        = `{"sku":"sku-`
	headQty         = `","qty":`
	headItemsEnd    = `],"padding":"`
	headDeliveryID  = `","delivery_id":"`
	headScheduled   = `","status":"SCHEDULED","padding":"`
	headOrderStatus = `","status":"DELIVERY_SCHEDULED","padding":"`
	customerDigits  = 8
	skuDigits       = 5 // a sku is below 100000
	// itemLen is the length of one item: its qty is 1 to 5, one digit.
	itemLen = len(headItem) + skuDigits + len(headQty) + 1 + len(`}`)
)

// appendHead appends the detail up to its padding (see AppendDetail).
func (f *Factory) appendHead(dst []byte, o *Order, k Kind) []byte {
	dst = append(dst, headRunID...)
	dst = append(dst, f.runID...)
	dst = append(dst, headJourneyID...)
	dst = appendID(dst, JourneyPrefix, o.Index)
	dst = append(dst, headIntended...)
	dst = strconv.AppendInt(dst, int64(o.At), 10)
	dst = append(dst, headIdemKey...)
	dst = append(dst, f.runID...)
	dst = append(dst, '/')
	dst = appendID(dst, OrderPrefix, o.Index)
	dst = append(dst, '/')
	dst = append(dst, f.dtEsc[k]...)
	dst = append(dst, headOrigin...)
	dst = event.AppendJSONString(dst, o.Origin)
	dst = append(dst, headOrderID...)
	dst = appendID(dst, OrderPrefix, o.Index)
	switch k {
	case OrderCreated:
		dst = append(dst, headCustomer...)
		dst = appendPadded(dst, o.Customer, customerDigits)
		dst = append(dst, headItems...)
		h := o.itemKey
		for j := 0; j < o.Items; j++ {
			if j > 0 {
				dst = append(dst, ',')
			}
			h = splitmix64(h)
			sku, _ := bits.Mul64(h, 100000)
			dst = append(dst, headItem...)
			dst = appendPadded(dst, sku, skuDigits)
			dst = append(dst, headQty...)
			dst = strconv.AppendUint(dst, 1+h%5, 10)
			dst = append(dst, '}')
		}
		dst = append(dst, headItemsEnd...)
	case DeliveryUpdated:
		dst = append(dst, headDeliveryID...)
		dst = appendID(dst, DeliveryPrefix, o.Index)
		dst = append(dst, headScheduled...)
	default:
		dst = append(dst, headOrderStatus...)
	}
	return dst
}

// headLen is len(appendHead(nil, o, k)), worked out without writing it:
// what a lazy entry needs (its exact size).
func (f *Factory) headLen(o *Order, k Kind) int {
	id := len(JourneyPrefix) + max(idDigits, decimalDigits(o.Index)) // every prefix is 2 bytes
	n := len(headRunID) + len(f.runID) + len(headJourneyID) + id + len(headIntended)
	if o.At < 0 {
		n++ // the minus sign
	}
	n += decimalDigits(uint64(max(o.At, -o.At)))
	n += len(headIdemKey) + len(f.runID) + 1 + id + 1 + len(f.dtEsc[k]) + len(headOrigin)
	n += f.originLen(o.Origin) + len(headOrderID) + id
	switch k {
	case OrderCreated:
		n += len(headCustomer) + max(customerDigits, decimalDigits(o.Customer)) + len(headItems)
		n += o.Items*itemLen + max(o.Items-1, 0) + len(headItemsEnd)
	case DeliveryUpdated:
		n += len(headDeliveryID) + id + len(headScheduled)
	default:
		n += len(headOrderStatus)
	}
	return n
}

// headBound is at least headLen(o, k), for any order: its numbers at
// their widest, its origin escaped at its longest (six bytes a byte, and
// the quotes). f.headFixed holds the parts that depend on k alone.
func (f *Factory) headBound(o *Order, k Kind) int {
	n := f.headFixed[k] + 6*len(o.Origin) + 2
	if k == OrderCreated {
		if o.Items > maxBoundItems {
			return math.MaxInt // no bound worth having: work it out
		}
		n += max(o.Items, 0) * (itemLen + 1)
	}
	return n
}

// maxBoundItems keeps headBound's arithmetic far from overflowing: an
// Order may be built by hand with any item count.
const maxBoundItems = 1 << 32

// headFixedBound returns headBound's part of kind k that does not depend on
// the order: headLen's terms, each number at its widest (an index or a
// customer of 20 digits, a time of 19 and a sign).
func (f *Factory) headFixedBound(k Kind) int {
	const widest = 20
	id := len(JourneyPrefix) + max(idDigits, widest)
	n := len(headRunID) + len(f.runID) + len(headJourneyID) + id + len(headIntended) + 1 + widest
	n += len(headIdemKey) + len(f.runID) + 1 + id + 1 + len(f.dtEsc[k]) + len(headOrigin)
	n += len(headOrderID) + id
	switch k {
	case OrderCreated:
		n += len(headCustomer) + max(customerDigits, widest) + len(headItems) + len(headItemsEnd)
	case DeliveryUpdated:
		n += len(headDeliveryID) + id + len(headScheduled)
	default:
		n += len(headOrderStatus)
	}
	return n
}

// originLen is the length of an origin as a JSON string, remembered for
// the few origins there are.
func (f *Factory) originLen(origin string) int {
	for i := range f.originLens {
		if f.originLens[i].origin == origin {
			return f.originLens[i].n
		}
	}
	n := len(event.AppendJSONString(nil, origin))
	f.originLens = append(f.originLens, originLen{origin, n})
	return n
}

type originLen struct {
	origin string
	n      int
}

// decimalDigits is the number of decimal digits of v.
func decimalDigits(v uint64) int {
	n := 1
	for v >= 10 {
		v /= 10
		n++
	}
	return n
}

// appendPadding appends n padding bytes.
func appendPadding(dst []byte, n int) []byte {
	if n <= 0 {
		return dst
	}
	start := len(dst)
	dst = slices.Grow(dst, n)[:start+n]
	pad := dst[start:]
	done := copy(pad, padChunk)
	for done < n {
		done += copy(pad[done:], pad[:done])
	}
	return dst
}

// IsDetail reports whether detail is exactly the detail of kind k for o
// (what AppendDetail appends), without building it.
func (f *Factory) IsDetail(detail []byte, o *Order, k Kind) bool {
	f.head = f.appendHead(f.head[:0], o, k)
	head := f.head
	if len(detail) != len(head)+f.padding(o, len(head))+len(closing) ||
		string(detail[:len(head)]) != string(head) ||
		string(detail[len(detail)-len(closing):]) != closing {
		return false
	}
	for pad := detail[len(head) : len(detail)-len(closing)]; len(pad) > 0; {
		n := min(len(pad), len(padChunk))
		if string(pad[:n]) != padChunk[:n] {
			return false
		}
		pad = pad[n:]
	}
	return true
}

// escape returns s as the inside of a JSON string literal.
func escape(s string) string {
	q := event.AppendJSONString(nil, s)
	return string(q[1 : len(q)-1])
}

// String describes the factory: "factory(run r1, 2 origins, payload constant(2048))".
func (f *Factory) String() string {
	payload := "none"
	if f.cfg.Payload != nil {
		payload = f.cfg.Payload.String()
	}
	mode := "weighted"
	if f.cfg.RoundRobin {
		mode = "round-robin"
	}
	return fmt.Sprintf("factory(run %s, origins %s %s, payload %s)",
		f.cfg.RunID, mode, strings.Join(f.origins.names, ","), payload)
}
