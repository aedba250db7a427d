package pattern

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/event"
)

// The benchmarks use a realistic ~2 KB Order.Created event: the envelope,
// harness metadata in detail.metadata, and a business payload with items
// and an address in detail.data, as the simulator publishes them.

func orderDetail() []byte {
	return []byte(`{"metadata":{"run_id":"run-2026-11-02T10:15:00Z-7f3a","journey_id":"j-000000000000123456","intended_send_ns":1793610900123456789,"idempotency_key":"order-service:Order.Created:ord-7f3a9c2e-0001"},` +
		`"data":{"order_id":"ord-7f3a9c2e-0001","status":"CREATED","channel":"web","currency":"EUR","total":129.97,"item_count":3,` +
		`"customer":{"customer_id":"cus-00042","tier":"gold","email":"ada.lovelace@example.com","name":"Ada Lovelace","marketing_opt_in":false,"phone":null},` +
		`"items":[{"sku":"SKU-1001-RED-M","name":"Merino crew neck, red, M","quantity":1,"unit_price":59.99,"tax_rate":0.19,"tags":["apparel","wool","sale"]},` +
		`{"sku":"SKU-2002-BLK","name":"Leather belt, black","quantity":1,"unit_price":39.99,"tax_rate":0.19,"tags":["accessories"]},` +
		`{"sku":"SKU-3003","name":"Cotton socks, 3-pack","quantity":2,"unit_price":14.995,"tax_rate":0.19,"tags":["apparel","basics"]}],` +
		`"shipping":{"method":"express","carrier":"DHL","cost":4.99,"promised_by":"2026-11-04T18:00:00Z"},` +
		`"address":{"line1":"12 Analytical Engine Street","line2":"Flat 3","city":"London","postcode":"NW1 6XE","region":"Greater London","country":"GB","geo":{"lat":51.5237,"lon":-0.1585}},` +
		`"payment":{"method":"card","brand":"visa","last4":"4242","authorised":true,"authorisation_id":"auth_9f8e7d6c5b4a","three_ds":{"version":"2.2.0","outcome":"frictionless"}},` +
		`"notes":"Leave with the concierge if nobody answers. Fragile: contains a gift box with a handwritten card \u2014 please keep upright.",` +
		`"promotions":[{"code":"WELCOME10","amount":10.0},{"code":"FREESHIP","amount":4.99}],` +
		`"created_at":"2026-11-02T10:15:00.123Z","updated_at":"2026-11-02T10:15:00.123Z"}}`)
}

func orderEnvelope() *event.Envelope {
	return &event.Envelope{
		ID:         "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
		DetailType: "Order.Created",
		Source:     "orders",
		Account:    "111111111111",
		Time:       time.Date(2026, 11, 2, 10, 15, 0, 0, time.UTC),
		Region:     "eu-west-1",
		Resources:  []string{"arn:aws:events:eu-west-1:111111111111:event-bus/local"},
		Detail:     orderDetail(),
	}
}

func orderEventJSON() []byte { return orderEnvelope().AppendJSON(nil) }

// busPatterns are the rules of the reference backbone's global bus: one
// fan-out rule per service account, the catch-all log rule, and the
// services' own patterns.
func busPatterns() []string {
	var ps []string
	for i := 0; i < 10; i++ {
		ps = append(ps, fmt.Sprintf(`{"account":[{"anything-but":"%012d"}]}`, 111111111111*(i+1)%1000000000000))
	}
	ps = append(ps,
		`{"source":[{"prefix":""}]}`,
		`{"source":["orders"],"detail-type":["Order.Created"]}`,
		`{"source":["orders"],"detail-type":["Order.Updated"]}`,
		`{"source":["delivery"],"detail-type":["Delivery.Updated"]}`,
		`{"source":["orders"],"detail":{"data":{"total":[{"numeric":[">",100]}]}}}`,
		`{"source":["orders"],"detail":{"data":{"customer":{"tier":["gold","platinum"]}}}}`,
		`{"detail-type":[{"prefix":"Order."}],"detail":{"data":{"address":{"country":["GB","IE"]}}}}`,
		`{"source":["payments"],"detail":{"data":{"payment":{"method":["card"]}}}}`,
		`{"detail":{"data":{"items":{"sku":[{"prefix":"SKU-1"}],"quantity":[{"numeric":[">=",1]}]}}}}`,
		`{"detail-type":["Order.Created"],"detail":{"metadata":{"run_id":[{"exists":true}]}}}`,
	)
	return ps
}

func compileAll(b testing.TB, srcs []string) []*Pattern {
	var out []*Pattern
	for _, s := range srcs {
		p, err := Compile([]byte(s))
		if err != nil {
			b.Fatalf("%s: %v", s, err)
		}
		out = append(out, p)
	}
	return out
}

func BenchmarkMatchJSON_OnePattern(b *testing.B) {
	ev := orderEventJSON()
	m := NewMatcher(compileAll(b, []string{`{"source":["orders"],"detail-type":["Order.Created"],"detail":{"data":{"total":[{"numeric":[">",100]}]}}}`}))
	var s Scratch
	dst := make([]int, 0, 4)
	b.SetBytes(int64(len(ev)))
	b.ReportAllocs()
	for b.Loop() {
		got, err := m.MatchJSON(ev, &s, dst[:0])
		if err != nil || len(got) != 1 {
			b.Fatal(got, err)
		}
	}
}

func BenchmarkMatchJSON_Bus20(b *testing.B) {
	ev := orderEventJSON()
	m := NewMatcher(compileAll(b, busPatterns()))
	var s Scratch
	dst := make([]int, 0, 32)
	b.SetBytes(int64(len(ev)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.MatchJSON(ev, &s, dst[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMatchEnvelope_Bus20(b *testing.B) {
	env := orderEnvelope()
	m := NewMatcher(compileAll(b, busPatterns()))
	var s Scratch
	dst := make([]int, 0, 32)
	b.ReportAllocs()
	for b.Loop() {
		dst, _ = m.Match(env, &s, dst[:0])
	}
}

// The simulator's hottest case: the fan-out and catch-all rules only,
// which read account and source and never touch the detail.
func BenchmarkMatchEnvelope_Backbone11(b *testing.B) {
	env := orderEnvelope()
	m := NewMatcher(compileAll(b, busPatterns()[:11]))
	var s Scratch
	dst := make([]int, 0, 32)
	b.ReportAllocs()
	for b.Loop() {
		dst, _ = m.Match(env, &s, dst[:0])
	}
}

func BenchmarkPatternMatchJSON(b *testing.B) {
	ev := orderEventJSON()
	p := MustCompile(`{"source":["orders"]}`)
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := p.MatchJSON(ev); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

func BenchmarkCompile(b *testing.B) {
	src := []byte(`{"source":["orders"],"detail-type":[{"prefix":"Order."}],"detail":{"data":{"total":[{"numeric":[">",0,"<=",1000]}],"customer":{"tier":[{"anything-but":["bronze"]}]}}}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(src); err != nil {
			b.Fatal(err)
		}
	}
}

// tangledItems is the worst case of array consistency for a pattern with
// n fields under "items": an event of about size bytes whose items each
// have all but one of the fields, every field missing from some item in
// turn, and only the last item has them all, so every item is visited and
// every field's candidates are scanned (issue 11's reproducer, scaled to
// the event size limit and to more fields).
func tangledItems(n, size int) (pattern string, event []byte) {
	var conds []string
	for k := 0; k < n; k++ {
		conds = append(conds, fmt.Sprintf(`"f%d":["x"]`, k))
	}
	var b []byte
	b = append(b, `"detail":{"items":[`...)
	for i := 0; len(b) < size; i++ {
		b = append(b, '{')
		first := true
		for k := 0; k < n; k++ {
			if k == i%n {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = fmt.Appendf(b, `"f%d":"x"`, k)
		}
		b = append(b, "},"...)
	}
	b = append(b, '{')
	for k := 0; k < n; k++ {
		if k > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, `"f%d":"x"`, k)
	}
	b = append(b, "}]}"...)
	return `{"detail":{"items":{` + strings.Join(conds, ",") + `}}}`, evt(string(b))
}

func benchmarkTangled(b *testing.B, n, size int) {
	pat, ev := tangledItems(n, size)
	m := NewMatcher(compileAll(b, []string{pat}))
	var s Scratch
	dst := make([]int, 0, 4)
	b.SetBytes(int64(len(ev)))
	b.ReportAllocs()
	for b.Loop() {
		got, err := m.MatchJSON(ev, &s, dst[:0])
		if err != nil || len(got) != 1 {
			b.Fatal(got, err)
		}
	}
}

// The array-consistency benchmarks: issue 11's 20 KB event (two fields,
// 2,047 items), and the worst case at the 256 KB event limit with 2 and 8
// fields (cost grows with the event's size times the number of fields).
func BenchmarkMatchJSON_ArrayConsistencyIssue11(b *testing.B) { benchmarkTangled(b, 2, 20_000) }
func BenchmarkMatchJSON_ArrayConsistencyWorst2(b *testing.B)  { benchmarkTangled(b, 2, 256_000) }
func BenchmarkMatchJSON_ArrayConsistencyWorst8(b *testing.B)  { benchmarkTangled(b, 8, 256_000) }
