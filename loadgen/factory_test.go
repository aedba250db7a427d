package loadgen

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/rng"
)

func mustFactory(t testing.TB, cfg FactoryConfig, seed uint64) *Factory {
	t.Helper()
	f, err := NewFactory(cfg, rng.NewStreams(seed))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func baseConfig() FactoryConfig {
	return FactoryConfig{
		RunID:   "r1",
		Origins: []Origin{{Account: "shop-eu", Weight: 3}, {Account: "shop-us", Weight: 1}},
		Payload: rng.Uniform{Min: 200, Max: 4000},
	}
}

// detail is the JSON shape the factory promises.
type detail struct {
	Metadata struct {
		RunID          string `json:"run_id"`
		JourneyID      string `json:"journey_id"`
		IntendedNS     int64  `json:"intended_ns"`
		IdempotencyKey string `json:"idempotency_key"`
		Origin         string `json:"origin"`
	} `json:"metadata"`
	Data struct {
		OrderID    string `json:"order_id"`
		CustomerID string `json:"customer_id"`
		DeliveryID string `json:"delivery_id"`
		Status     string `json:"status"`
		Items      []struct {
			SKU string `json:"sku"`
			Qty int    `json:"qty"`
		} `json:"items"`
		Padding string `json:"padding"`
	} `json:"data"`
}

func TestFactoryDetailIsValidJSONOfExactSize(t *testing.T) {
	f := mustFactory(t, baseConfig(), 1)
	var buf []byte
	for i := uint64(0); i < 3000; i++ {
		a := Arrival{Index: i * 7919, At: time.Duration(i) * 3 * ms}
		o := f.Order(a)
		for _, k := range []Kind{OrderCreated, DeliveryUpdated, OrderUpdated} {
			buf = f.AppendDetail(buf[:0], &o, k)
			var d detail
			dec := json.NewDecoder(bytes.NewReader(buf))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&d); err != nil {
				t.Fatalf("order %d %v: %v\n%s", a.Index, k, err, buf)
			}
			if len(buf) != o.Size && !(len(buf) > o.Size && d.Data.Padding == "") {
				t.Fatalf("order %d %v: len %d, target %d", a.Index, k, len(buf), o.Size)
			}
			m := d.Metadata
			if m.RunID != "r1" || m.JourneyID != JourneyID(a.Index) || m.IntendedNS != int64(a.At) || m.Origin != o.Origin {
				t.Fatalf("order %d %v: metadata %+v", a.Index, k, m)
			}
			if want := "r1/" + d.Data.OrderID + "/" + f.Type(k).DetailType; m.IdempotencyKey != want {
				t.Fatalf("idempotency key %q, want %q", m.IdempotencyKey, want)
			}
			if k == OrderCreated && (len(d.Data.Items) != o.Items || d.Data.CustomerID == "") {
				t.Fatalf("order %d: data %+v", a.Index, d.Data)
			}
		}
	}
}

func TestFactorySizes(t *testing.T) {
	tests := []struct {
		payload rng.Dist
		max     int
		want    func(n int) bool
	}{
		// A constant 2 KB payload gives details of exactly 2048 bytes.
		{rng.Constant{Value: 2048}, 0, func(n int) bool { return n == 2048 }},
		// A fractional size rounds to the nearest byte.
		{rng.Constant{Value: 1000.6}, 0, func(n int) bool { return n == 1001 }},
		// A size below the fixed part gives the fixed part, unpadded.
		{rng.Constant{Value: 10}, 0, func(n int) bool { return n > 10 && n < 400 }},
		// No payload distribution: fixed part only.
		{nil, 0, func(n int) bool { return n > 100 && n < 400 }},
		// Past the materialise limit, a representative detail stands in
		// (its padding is RepresentativePadding, whatever the size).
		{rng.Constant{Value: 1 << 40}, 20000, func(n int) bool { return n > RepresentativePadding && n < RepresentativePadding+1024 }},
	}
	for _, tt := range tests {
		cfg := baseConfig()
		cfg.Payload, cfg.MaterialiseLimit = tt.payload, tt.max
		f := mustFactory(t, cfg, 2)
		for i := uint64(0); i < 500; i++ {
			o := f.Order(Arrival{Index: i})
			e := f.Entry(&o, OrderCreated)
			if !tt.want(len(e.Detail)) || !json.Valid(e.Detail) || tt.max > 0 && o.Size > tt.max && e.DetailBytes != o.Size {
				t.Fatalf("payload %v: order %d has a %d-byte detail", tt.payload, i, len(e.Detail))
			}
		}
	}
}

func TestFactoryIsDeterministicAndShardInvariant(t *testing.T) {
	build := func(seed uint64, indices []uint64) map[uint64]string {
		f := mustFactory(t, baseConfig(), seed)
		out := map[uint64]string{}
		for _, i := range indices {
			o := f.Order(Arrival{Index: i, At: time.Duration(i) * ms})
			out[i] = string(f.AppendDetail(nil, &o, OrderCreated)) + "|" + o.Origin
		}
		return out
	}
	var all, odd []uint64
	for i := uint64(0); i < 200; i++ {
		all = append(all, i)
		if i%2 == 1 {
			odd = append(odd, i)
		}
	}
	a, b, c := build(5, all), build(5, all), build(6, all)
	shard := build(5, odd) // a shard builds only its own orders, in its own order
	differ := 0
	for _, i := range all {
		if a[i] != b[i] {
			t.Fatalf("order %d differs between two runs with the same seed", i)
		}
		if i%2 == 1 && shard[i] != a[i] {
			t.Fatalf("order %d differs when built by shard 1/2", i)
		}
		if a[i] != c[i] {
			differ++
		}
	}
	if differ < 150 {
		t.Errorf("only %d of 200 orders differ between seeds 5 and 6", differ)
	}
}

func TestFactoryOrigins(t *testing.T) {
	// Weighted 3:1 over 40,000 orders: shop-eu gets 75% ± 5 sd.
	f := mustFactory(t, baseConfig(), 3)
	const n = 40000
	eu := 0
	for i := uint64(0); i < n; i++ {
		if f.Order(Arrival{Index: i}).Origin == "shop-eu" {
			eu++
		}
	}
	if sd := math.Sqrt(n * 0.75 * 0.25); math.Abs(float64(eu)-0.75*n) > 5*sd {
		t.Errorf("weighted origins: shop-eu sent %d of %d, want 75%%", eu, n)
	}
	// A zero weight never originates; round-robin ignores weights.
	cfg := baseConfig()
	cfg.Origins = []Origin{{Account: "a", Weight: 1}, {Account: "b"}, {Account: "c", Weight: 1}}
	f = mustFactory(t, cfg, 3)
	for i := uint64(0); i < 1000; i++ {
		if f.Order(Arrival{Index: i}).Origin == "b" {
			t.Fatalf("order %d from a zero-weight origin", i)
		}
	}
	cfg.RoundRobin = true
	f = mustFactory(t, cfg, 3)
	for i, want := range []string{"a", "b", "c", "a", "b"} {
		if got := f.Order(Arrival{Index: uint64(i)}).Origin; got != want {
			t.Errorf("round-robin order %d from %q, want %q", i, got, want)
		}
	}
}

func TestFactoryEntry(t *testing.T) {
	cfg := baseConfig()
	cfg.EventBusName = "arn:aws:events:eu-west-1:111111111111:event-bus/global"
	cfg.RunID = `run "quoted"`
	cfg.DeliveryUpdated = EventType{DetailType: "Shipment.Changed"}
	f := mustFactory(t, cfg, 4)
	o := f.Order(Arrival{Index: 42, At: 4200 * ms})
	tests := []struct {
		kind             Kind
		source, dtype    string
		detailSubstrings []string
	}{
		// Order.Created from the order service, with items.
		{OrderCreated, "busdrill.orders", "Order.Created", []string{`"journey_id":"j-000000000042"`, `"intended_ns":4200000000`, `"order_id":"o-000000000042"`, `"items":[`}},
		// A configured detail-type keeps the default source; JSON escapes in the run id are kept.
		{DeliveryUpdated, "busdrill.delivery", "Shipment.Changed", []string{`"delivery_id":"d-000000000042"`, `"idempotency_key":"run \"quoted\"/o-000000000042/Shipment.Changed"`}},
		// Order.Updated ends the journey.
		{OrderUpdated, "busdrill.orders", "Order.Updated", []string{`"status":"DELIVERY_SCHEDULED"`}},
	}
	for _, tt := range tests {
		e := f.Entry(&o, tt.kind)
		if e.Source != tt.source || e.DetailType != tt.dtype || e.EventBusName != cfg.EventBusName {
			t.Errorf("%v: entry %q %q %q", tt.kind, e.Source, e.DetailType, e.EventBusName)
		}
		for _, sub := range tt.detailSubstrings {
			if !bytes.Contains(e.Detail, []byte(sub)) {
				t.Errorf("%v: detail lacks %s:\n%s", tt.kind, sub, e.Detail)
			}
		}
		if !json.Valid(e.Detail) || event.EntrySize(&e) != len(e.Source)+len(e.DetailType)+len(e.Detail) {
			t.Errorf("%v: bad entry %s", tt.kind, e.Detail)
		}
	}
}

func TestFactoryConfigValidate(t *testing.T) {
	tests := []struct {
		cfg  FactoryConfig
		want []string
	}{
		// Nothing set: run id and origins are both missing.
		{FactoryConfig{}, []string{"run id is required", "at least one origin"}},
		// Bad origins are each reported.
		{FactoryConfig{RunID: "r", Origins: []Origin{{Weight: 1}, {Account: "x", Weight: -1}}},
			[]string{"origin 1 has no account", `origin "x" weight`}},
		// Weights summing to zero cannot be drawn from...
		{FactoryConfig{RunID: "r", Origins: []Origin{{Account: "x"}}}, []string{"sum to zero"}},
		// ...but round-robin does not need them.
		{FactoryConfig{RunID: "r", Origins: []Origin{{Account: "x"}}, RoundRobin: true}, nil},
		// Negative limits are reported.
		{FactoryConfig{RunID: "r", Origins: []Origin{{Account: "x", Weight: 1}}, MaterialiseLimit: -1, MaxItems: -1},
			[]string{"materialise limit", "max items"}},
	}
	for _, tt := range tests {
		errs := tt.cfg.Validate()
		if len(errs) != len(tt.want) {
			t.Errorf("Validate() = %v, want %d errors", errs, len(tt.want))
			continue
		}
		for i, e := range errs {
			if !strings.Contains(e.Error(), tt.want[i]) {
				t.Errorf("error %d = %q, want %q", i, e, tt.want[i])
			}
		}
	}
	f := mustFactory(t, baseConfig(), 1)
	if got := f.String(); got != "factory(run r1, origins weighted shop-eu,shop-us, payload uniform(200, 4000))" {
		t.Errorf("String() = %q", got)
	}
}

func TestJourneyIDs(t *testing.T) {
	tests := []struct {
		in      string
		want    uint64
		wantErr bool
	}{
		// The canonical form parses back.
		{"j-000000000042", 42, false},
		// Indices beyond 12 digits simply grow.
		{"j-1234567890123", 1234567890123, false},
		// Too few digits, another prefix, a sign or extra zeros are not journey ids.
		{"j-42", 0, true},
		{"o-000000000042", 0, true},
		{"j-+00000000042", 0, true},
		{"j-0000000000042", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseJourneyID(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseJourneyID(%q) = %d, %v", tt.in, got, err)
		}
		if err == nil && JourneyID(got) != tt.in {
			t.Errorf("JourneyID(%d) = %q, want %q", got, JourneyID(got), tt.in)
		}
	}
}

// TestEntriesAreValid: every entry the factory builds vouches for its
// detail (DetailValid), and the detail is indeed an object PutEvents
// accepts: whatever the size (tiny, huge, past the materialise limit),
// the kind, the run id's characters and the detail-types configured.
func TestEntriesAreValid(t *testing.T) {
	var scratch event.Flat
	for _, tt := range []struct {
		runID   string
		payload rng.Dist
		limit   int
	}{
		{"r1", rng.NewLogNormal(2048, 6144), 0},
		{`run "quoted" \ back/slash` + "\u00e9\u2028\t", rng.Uniform{Min: 0, Max: 20000}, 0},
		{"tiny", rng.Constant{Value: 1}, 0},
		{"huge", rng.Constant{Value: 1 << 30}, 1 << 20},
		{"none", nil, 0},
	} {
		cfg := baseConfig()
		cfg.RunID, cfg.Payload, cfg.MaterialiseLimit = tt.runID, tt.payload, tt.limit
		cfg.DeliveryUpdated = EventType{Source: "svc.\"d\"", DetailType: "Shipment Changed \u00e9"}
		f := mustFactory(t, cfg, 9)
		for i := uint64(0); i < 300; i++ {
			o := f.Order(Arrival{Index: i * 104729, At: time.Duration(i) * 7 * ms})
			for _, k := range []Kind{OrderCreated, DeliveryUpdated, OrderUpdated} {
				e := f.Entry(&o, k)
				if !e.DetailValid {
					t.Fatalf("%s: order %d %v: entry not marked valid", tt.runID, i, k)
				}
				if err := event.ValidateObject(e.Detail, &scratch); err != nil {
					t.Fatalf("%s: order %d %v: %v\n%s", tt.runID, i, k, err, e.Detail)
				}
			}
		}
	}
}

// TestLazyEntry: a lazy entry is the entry without its detail: the same
// fields, the detail's exact size, and the same representative past the
// materialise limit.
func TestLazyEntry(t *testing.T) {
	for _, limit := range []int{0, 3000} {
		cfg := baseConfig()
		cfg.Payload, cfg.MaterialiseLimit = rng.NewLogNormal(2048, 6144), limit
		f := mustFactory(t, cfg, 5)
		for i := uint64(0); i < 500; i++ {
			o := f.Order(Arrival{Index: i, At: time.Duration(i) * ms})
			for _, k := range []Kind{OrderCreated, DeliveryUpdated, OrderUpdated} {
				want := f.Entry(&o, k)
				got := f.LazyEntry(&o, k)
				if limit > 0 && o.Size > limit {
					if got.DetailLazy || !bytes.Equal(got.Detail, want.Detail) || got.DetailBytes != want.DetailBytes {
						t.Fatalf("order %d %v past the limit: %+v", i, k, got)
					}
					continue
				}
				if !got.DetailLazy || got.Detail != nil || got.DetailBytes != len(want.Detail) ||
					got.Tag != want.Tag || got.Source != want.Source || got.DetailType != want.DetailType || !got.DetailValid ||
					event.EntrySize(&got) != event.EntrySize(&want) {
					t.Fatalf("order %d %v: lazy %+v, built %+v (%d bytes)", i, k, got, want, len(want.Detail))
				}
			}
		}
	}
}

// escapingFactory is a factory whose run id and origins need escaping in
// JSON, with up to 9 items an order: the heads' lengths tests.
func escapingFactory(t *testing.T) *Factory {
	cfg := baseConfig()
	cfg.RunID = `run "q" \ é`
	cfg.MaxItems = 9
	cfg.Origins = []Origin{{Account: `orders "x"`, Weight: 1}, {Account: "o2", Weight: 2}}
	return mustFactory(t, cfg, 11)
}

// TestHeadLen: the worked-out length of a detail's head is the length of
// the head written, for every kind, index (past the padded width too),
// time, origin and item count.
func TestHeadLen(t *testing.T) {
	f := escapingFactory(t)
	for _, idx := range []uint64{0, 9, 10, 42, 999_999_999_999, 1_000_000_000_000, 1<<64 - 1} {
		for _, at := range []time.Duration{0, 1, 9 * ms, 123456789 * time.Second} {
			o := f.Order(Arrival{Index: idx, At: at})
			for _, k := range []Kind{OrderCreated, DeliveryUpdated, OrderUpdated} {
				if got, want := f.headLen(&o, k), len(f.appendHead(nil, &o, k)); got != want {
					t.Fatalf("order %d at %v, %v: headLen %d, head %d bytes", idx, at, k, got, want)
				}
			}
		}
	}
}

// TestHeadBound: headBound is never below the head's length, whatever the
// order: widest numbers, escaped or unknown origins, many items.
func TestHeadBound(t *testing.T) {
	f := escapingFactory(t)
	for _, idx := range []uint64{0, 9, 10, 999_999_999_999, 1<<64 - 1} {
		for _, at := range []time.Duration{0, -1, math.MinInt64, math.MaxInt64} {
			base := f.Order(Arrival{Index: idx, At: at})
			for _, origin := range []string{base.Origin, "", "\x00\x01\"\\<>&\u2028", strings.Repeat("é", 40)} {
				for _, items := range []int{0, 1, 9, 1000} {
					for _, customer := range []uint64{0, 1<<64 - 1} {
						o := base
						o.Origin, o.Items, o.Customer = origin, items, customer
						for _, k := range []Kind{OrderCreated, DeliveryUpdated, OrderUpdated} {
							if b, n := f.headBound(&o, k), len(f.appendHead(nil, &o, k)); b < n {
								t.Fatalf("order %+v, %v: bound %d below the head's %d bytes", o, k, b, n)
							}
						}
					}
				}
			}
		}
	}
}

// TestDetailSize: DetailSize is the length of the detail built, for sizes
// below, around and above the head's length (its bound's shortcut and
// the worked-out path).
func TestDetailSize(t *testing.T) {
	f := mustFactory(t, baseConfig(), 3)
	for i := uint64(0); i < 50; i++ {
		o := f.Order(Arrival{Index: i * 7919, At: time.Duration(i) * time.Hour})
		for _, k := range []Kind{OrderCreated, DeliveryUpdated, OrderUpdated} {
			bound := f.headBound(&o, k) + len(closing)
			for _, size := range []int{0, 1, bound - 200, bound - 1, bound, bound + 1, 4096} {
				o.Size = size
				if got, want := f.DetailSize(&o, k), len(f.AppendDetail(nil, &o, k)); got != want {
					t.Fatalf("order %d, %v, size %d: DetailSize %d, detail %d bytes", i, k, size, got, want)
				}
			}
		}
	}
}
