package backbone

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestFormatID: event ids are the UUID's 32 lowercase hex digits, most
// significant first, grouped 8-4-4-4-12, and parseID (how a parked
// event's id is packed) reads them back.
func TestFormatID(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	cases := [][2]uint64{{0, 0}, {math.MaxUint64, math.MaxUint64}, {0x0123456789abcdef, 0xfedcba9876543210}, {0xa0a0a0a09f9f9f9f, 0x0a0a0a0af9f9f9f9}}
	for range 1000 {
		cases = append(cases, [2]uint64{r.Uint64(), r.Uint64()})
	}
	for _, c := range cases {
		hi, lo := c[0], c[1]
		var rec record
		formatID(&rec, hi, lo)
		want := fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", hi>>32, hi>>16&0xffff, hi&0xffff, lo>>48, lo&(1<<48-1))
		if rec.env.ID != want {
			t.Fatalf("formatID(%#x, %#x) = %s, want %s", hi, lo, rec.env.ID, want)
		}
		if h, l := parseID(&rec.id); h != hi || l != lo {
			t.Fatalf("parseID(%s) = %#x, %#x", want, h, l)
		}
	}
}
