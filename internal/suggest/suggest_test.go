package suggest

import "testing"

func TestClosest(t *testing.T) {
	keys := []string{"name", "rate", "stages", "latency", "max_in_flight"}
	tests := []struct {
		comment string
		got     string
		want    string
	}{
		{"two letters swapped", "nmae", "name"},
		{"one letter missing", "rte", "rate"},
		{"a different case", "Stages", "stages"},
		{"one edit on a long key", "max_inflight", "max_in_flight"},
		{"dashes for underscores", "max-in-flight", "max_in_flight"},
		{"too far from everything", "zzz", ""},
		{"a short key needs a close match", "xy", ""},
		{"a huge input is compared for equality only", string(make([]byte, 1<<20)), ""},
	}
	for _, tt := range tests {
		if got := Closest(tt.got, keys); got != tt.want {
			t.Errorf("%s: Closest(%.20q) = %q, want %q", tt.comment, tt.got, got, tt.want)
		}
	}
}
