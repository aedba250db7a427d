package loadgen

import (
	"math"
	"testing"

	"github.com/busdrill/busdrill/rng"
)

// TestOrderSizesRemembered: a factory that has seen other orders gives
// every order the size a fresh factory draws, whether the order's size is
// remembered, was pushed out by another order sharing its slot, or lies
// at the ends of the index range.
func TestOrderSizesRemembered(t *testing.T) {
	cfg := baseConfig()
	cfg.Payload = rng.LogNormal{Median: 2048, P99: 16384}
	used := mustFactory(t, cfg, 3)
	indexes := []uint64{0, 1, 2, 1, sizeMemoSlots, 0, sizeMemoSlots + 1, 1, math.MaxUint64, 0, math.MaxUint64 - 1, 7, 7}
	for i := uint64(100); i < 100+3*sizeMemoSlots; i += 97 {
		indexes = append(indexes, i, i-50, i)
	}
	for _, i := range indexes {
		got := used.Order(Arrival{Index: i})
		want := mustFactory(t, cfg, 3).Order(Arrival{Index: i})
		if got != want {
			t.Fatalf("order %d: %+v, a fresh factory gives %+v", i, got, want)
		}
	}
	if _, ok := used.sizes.get(math.MaxUint64); ok {
		t.Fatal("the last index shares the empty slots' key")
	}
	if n, ok := used.sizes.get(7); !ok || n != mustFactory(t, cfg, 3).Order(Arrival{Index: 7}).Size {
		t.Fatalf("order 7's size is not remembered: %d, %v", n, ok)
	}
}
