package event

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// The differential test of the scanner: scan (with its fast skipper for
// subtrees on no path) must accept and reject exactly what scanRef (the
// scanner as it was before, in scanref_test.go) does, with the same error,
// and flatten to the same fields, array chains and Top bits.

var diffPathSets = []*PathSet{
	noPaths,
	NewPathSet([]string{"a", "a.b", "a.b.c", "b", "c.d"}),
	NewPathSet([]string{"b.a", "x"}),
	NewPathSet([]string{"source", "detail-type", "detail.data.total", "detail.data.items.sku", "a.b"}),
}

// render is the complete observable result of a flattening.
func render(f *Flat, err error) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "err=%v top=%x n=%d", err, f.Top, len(f.Fields))
	for i := range f.Fields {
		fl := &f.Fields[i]
		fmt.Fprintf(&sb, " %d:%d:%q:%x", fl.Path, fl.Kind, fl.Str, math.Float64bits(fl.Num))
		for _, a := range f.Chain(fl) {
			fmt.Fprintf(&sb, "[%d.%d]", a.Array, a.Index)
		}
	}
	return sb.String()
}

func diffOne(t testing.TB, raw []byte) {
	t.Helper()
	var got, want Flat
	for pi, ps := range diffPathSets {
		roots := []*pathNode{ps.root}
		if ps.detail != nil {
			roots = append(roots, ps.detail)
		}
		for ri, root := range roots {
			top := ri == 0
			got.Reset()
			want.Reset()
			g := render(&got, got.scan(raw, root, top))
			w := render(&want, want.scanRef(raw, root, top))
			if g != w {
				t.Fatalf("path set %d, top %v, event %q:\n got %s\nwant %s", pi, top, raw, g, w)
			}
		}
	}
}

type jsonGen struct {
	r  *rand.Rand
	sb bytes.Buffer
}

var diffKeys = []string{"a", "b", "c", "d", "x", "a.b", "b.a", "c.d", "a.b.c", `\u0061`, `a\u002eb`, "source", "detail", "data", "total", "items", "sku", "detail-type", "a_rather_long_key_name_of_thirty"}

var diffStrings = []string{"", "x", "orders", "Order.Created", `\"q\"`, `\\`, `\/`, `\b\f\n\r\t`, `\u00e9`, `\ud83d\ude80`, `\ud800x`, "é", "\xff\xfe",
	"a string that is long enough for plainRun to take over, 64+ bytes long....",
	"sixteen bytes!!!", "fifteen bytes!!", "seventeen bytes!!", "seven b", "eight by"}

var diffNumbers = []string{"0", "-0", "1", "-1", "129.97", "1e3", "1E+3", "-2.5e-3", "9223372036854775807", "-9223372036854775808",
	"9223372036854775808", "-9223372036854775809", "123456789012345678", "1234567890123456789", "12345678901234567890", "1e400", "0.1", "10.0"}

func (g *jsonGen) ws() {
	if g.r.IntN(4) == 0 {
		g.sb.WriteString([]string{" ", "\n", "\t", "\r", "  \n "}[g.r.IntN(5)])
	}
}

func (g *jsonGen) value(depth int) {
	g.ws()
	n := 9
	if depth > 6 {
		n = 5
	}
	switch k := g.r.IntN(n); {
	case k == 0:
		g.sb.WriteByte('"')
		g.sb.WriteString(diffStrings[g.r.IntN(len(diffStrings))])
		g.sb.WriteByte('"')
	case k == 1:
		g.sb.WriteString(diffNumbers[g.r.IntN(len(diffNumbers))])
	case k == 2:
		g.sb.WriteString([]string{"true", "false", "null"}[g.r.IntN(3)])
	case k == 3 || k == 4:
		g.sb.WriteByte('"')
		for j := g.r.IntN(40); j > 0; j-- {
			g.sb.WriteByte("abcdefgh .-_:xyz0123456789"[g.r.IntN(26)])
		}
		g.sb.WriteByte('"')
	case k < 7:
		g.object(depth + 1)
	default:
		g.sb.WriteByte('[')
		for j := g.r.IntN(4); j > 0; j-- {
			g.value(depth + 1)
			g.ws()
			if j > 1 {
				g.sb.WriteByte(',')
			}
		}
		g.ws()
		g.sb.WriteByte(']')
	}
	g.ws()
}

func (g *jsonGen) object(depth int) {
	g.sb.WriteByte('{')
	for j := g.r.IntN(5); j > 0; j-- {
		g.ws()
		g.sb.WriteByte('"')
		g.sb.WriteString(diffKeys[g.r.IntN(len(diffKeys))])
		g.sb.WriteByte('"')
		g.ws()
		g.sb.WriteByte(':')
		g.value(depth)
		if j > 1 {
			g.sb.WriteByte(',')
		}
	}
	g.ws()
	g.sb.WriteByte('}')
}

// mutate damages raw in one of a few ways, anywhere.
func mutate(r *rand.Rand, raw []byte) []byte {
	out := append([]byte(nil), raw...)
	if len(out) == 0 {
		return out
	}
	p := r.IntN(len(out))
	const alphabet = "{}[],:\"0123456789.eE+-tfnul \\/\x00\x1f\x7f\xff"
	switch r.IntN(4) {
	case 0: // delete a byte
		return append(out[:p], out[p+1:]...)
	case 1: // replace a byte
		out[p] = alphabet[r.IntN(len(alphabet))]
	case 2: // insert a byte
		out = append(out[:p], append([]byte{alphabet[r.IntN(len(alphabet))]}, out[p:]...)...)
	case 3: // truncate
		out = out[:p]
	}
	return out
}

func TestScanDifferential(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	g := jsonGen{r: r}
	for i := 0; i < n; i++ {
		g.sb.Reset()
		g.ws()
		g.object(0)
		g.ws()
		raw := append([]byte(nil), g.sb.Bytes()...)
		diffOne(t, raw)
		for m := 0; m < 8; m++ {
			raw2 := raw
			for k := r.IntN(3); k >= 0; k-- {
				raw2 = mutate(r, raw2)
			}
			diffOne(t, raw2)
		}
	}
	// The order event and every prefix and one-byte damage of it.
	ev := []byte(orderEvent)
	diffOne(t, ev)
	for p := 0; p <= len(ev); p++ {
		diffOne(t, ev[:p])
		if p < len(ev) {
			for _, c := range []byte("{}[],:\"0.e-tx \\\x01") {
				d := append([]byte(nil), ev...)
				d[p] = c
				diffOne(t, d)
			}
		}
	}
	// Depth limits, tracked and untracked, with damage after them.
	for _, d := range []int{MaxDepth - 2, MaxDepth - 1, MaxDepth, MaxDepth + 1} {
		for _, open := range []string{"[", `{"a":`, `{"x":`, `{"b":`} {
			for _, tail := range []string{"", "x", "1"} {
				raw := `{"a":` + strings.Repeat(open, d) + tail
				diffOne(t, []byte(raw))
				closeS := strings.Repeat("]", d)
				if open != "[" {
					closeS = strings.Repeat("}", d)
				}
				diffOne(t, []byte(raw+"1"+closeS+"}"))
				diffOne(t, []byte(raw+"1"+closeS+"} x"))
			}
		}
	}
}

// FuzzScanDifferential: scan and scanRef agree on every input.
func FuzzScanDifferential(f *testing.F) {
	for _, s := range []string{
		orderEvent,
		`{"a":{"b":[1,2,{"c":"x"}]},"a.b":null,"x":{"y":[[{"z":"\u00e9"}],-1.5e3]}}`,
		`{"x":[{"y":12345678901234567890}]}`,
		`{"x":{"y":"\q"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) { diffOne(t, raw) })
}

func benchScan(b *testing.B, scan func(f *Flat, raw []byte, root *pathNode, top bool) error) {
	ps := NewPathSet([]string{"source", "detail-type", "detail.data.total"})
	ev := []byte(orderEvent)
	var f Flat
	b.SetBytes(int64(len(ev)))
	for b.Loop() {
		f.Reset()
		if err := scan(&f, ev, ps.root, true); err != nil || len(f.Fields) != 3 {
			b.Fatal(err, len(f.Fields))
		}
	}
}

func BenchmarkScanOrder(b *testing.B) {
	b.Run("new", func(b *testing.B) { benchScan(b, (*Flat).scan) })
	b.Run("ref", func(b *testing.B) { benchScan(b, (*Flat).scanRef) })
}

// orderEvent is the 2 KB Order.Created event of pattern's benchmarks.
const orderEvent = `{"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"Order.Created","source":"orders","account":"111111111111","time":"2026-11-02T10:15:00Z","region":"eu-west-1","resources":["arn:aws:events:eu-west-1:111111111111:event-bus/local"],"detail":{"metadata":{"run_id":"run-2026-11-02T10:15:00Z-7f3a","journey_id":"j-000000000000123456","intended_send_ns":1793610900123456789,"idempotency_key":"order-service:Order.Created:ord-7f3a9c2e-0001"},"data":{"order_id":"ord-7f3a9c2e-0001","status":"CREATED","channel":"web","currency":"EUR","total":129.97,"item_count":3,"customer":{"customer_id":"cus-00042","tier":"gold","email":"ada.lovelace@example.com","name":"Ada Lovelace","marketing_opt_in":false,"phone":null},"items":[{"sku":"SKU-1001-RED-M","name":"Merino crew neck, red, M","quantity":1,"unit_price":59.99,"tax_rate":0.19,"tags":["apparel","wool","sale"]},{"sku":"SKU-2002-BLK","name":"Leather belt, black","quantity":1,"unit_price":39.99,"tax_rate":0.19,"tags":["accessories"]},{"sku":"SKU-3003","name":"Cotton socks, 3-pack","quantity":2,"unit_price":14.995,"tax_rate":0.19,"tags":["apparel","basics"]}],"shipping":{"method":"express","carrier":"DHL","cost":4.99,"promised_by":"2026-11-04T18:00:00Z"},"address":{"line1":"12 Analytical Engine Street","line2":"Flat 3","city":"London","postcode":"NW1 6XE","region":"Greater London","country":"GB","geo":{"lat":51.5237,"lon":-0.1585}},"payment":{"method":"card","brand":"visa","last4":"4242","authorised":true,"authorisation_id":"auth_9f8e7d6c5b4a","three_ds":{"version":"2.2.0","outcome":"frictionless"}},"notes":"Leave with the concierge if nobody answers. Fragile: contains a gift box with a handwritten card \u2014 please keep upright.","promotions":[{"code":"WELCOME10","amount":10.0},{"code":"FREESHIP","amount":4.99}],"created_at":"2026-11-02T10:15:00.123Z","updated_at":"2026-11-02T10:15:00.123Z"}}}`
