package loadgen

import (
	"testing"
	"time"

	"github.com/busdrill/busdrill/rng"
)

func TestJourneyOfReadsWhatTheFactoryWrites(t *testing.T) {
	f, err := NewFactory(FactoryConfig{RunID: "r1", Origins: []Origin{{Account: "orders", Weight: 1}}}, rng.NewStreams(1))
	if err != nil {
		t.Fatal(err)
	}
	for _, idx := range []uint64{0, 42, 999_999_999_999} {
		o := f.Order(Arrival{Index: idx, At: time.Second})
		for k := OrderCreated; k <= OrderUpdated; k++ {
			got, ok := JourneyOf(f.AppendDetail(nil, &o, k))
			if !ok || got != idx {
				t.Errorf("journey %d kind %d: got %d, %v", idx, k, got, ok)
			}
			if kk, ok := f.KindOf(f.Type(k).DetailType); !ok || kk != k {
				t.Errorf("KindOf(%q) = %v, %v", f.Type(k).DetailType, kk, ok)
			}
		}
	}
	for _, bad := range []string{`{}`, `{"metadata":{"journey_id":"x-1"}}`, `{"metadata":{"journey_id":"j-"}}`, `{"metadata":{"journey_id":"j-12a"}}`} {
		if _, ok := JourneyOf([]byte(bad)); ok {
			t.Errorf("JourneyOf(%s) succeeded", bad)
		}
	}
}
