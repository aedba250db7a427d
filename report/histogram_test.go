package report

import (
	"testing"
	"time"
)

func TestHistogramSummaryAndRoundTrip(t *testing.T) {
	h := NewHistogram()
	for i := 1; i <= 1000; i++ {
		h.Record(time.Duration(i) * time.Millisecond)
	}
	s := h.Summary()
	if s.Count != 1000 || s.Min != 1 || s.Max < 999 || s.Max > 1001 {
		t.Fatalf("summary %+v", s)
	}
	if s.P50 < 499 || s.P50 > 501 || s.P99 < 989 || s.P99 > 991 {
		t.Fatalf("percentiles %+v", s)
	}
	enc, err := h.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeHistogram(enc)
	if err != nil {
		t.Fatal(err)
	}
	if back.Summary() != s {
		t.Fatalf("round trip changed the summary: %+v vs %+v", back.Summary(), s)
	}
	enc2, _ := back.Encode()
	if enc2 != enc {
		t.Fatal("encoding is not stable across a round trip")
	}
}

func TestHistogramMergeIsExact(t *testing.T) {
	a, b, all := NewHistogram(), NewHistogram(), NewHistogram()
	for i := 0; i < 5000; i++ {
		d := time.Duration(i*i%7919) * time.Microsecond * 37
		all.Record(d)
		if i%2 == 0 {
			a.Record(d)
		} else {
			b.Record(d)
		}
	}
	a.Merge(b)
	ea, _ := a.Encode()
	eall, _ := all.Encode()
	if ea != eall {
		t.Fatal("merged shards differ from the single histogram")
	}
}

func TestHistogramClampsOutOfRange(t *testing.T) {
	h := NewHistogram()
	h.Record(-time.Second)
	h.Record(30 * 24 * time.Hour)
	if h.Count() != 2 || h.Clamped() != 2 {
		t.Fatalf("count %d clamped %d", h.Count(), h.Clamped())
	}
}
