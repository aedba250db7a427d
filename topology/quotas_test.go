package topology

import "testing"

func TestRegionQuotas(t *testing.T) {
	for _, tc := range []struct {
		region     string
		put, invoc float64
	}{
		// The first tier: the largest Regions.
		{"us-east-1", 10000, 18750},
		{"eu-west-1", 10000, 18750},
		// A second-tier and a fourth-tier Region.
		{"eu-central-1", 2400, 4500},
		{"sa-east-1", 600, 1100},
		// A Region in no tier, and no Region at all, get the default tier.
		{"me-central-1", 400, 750},
		{"", 400, 750},
	} {
		if got := PutEventsTPSByRegion(tc.region); got != tc.put {
			t.Errorf("PutEventsTPSByRegion(%q) = %v, want %v", tc.region, got, tc.put)
		}
		if got := InvocationsTPSByRegion(tc.region); got != tc.invoc {
			t.Errorf("InvocationsTPSByRegion(%q) = %v, want %v", tc.region, got, tc.invoc)
		}
	}
}
