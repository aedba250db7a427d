package capacity

import (
	"testing"

	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/sim/world"
)

func TestCost(t *testing.T) {
	r := &run{probe: report.CapacityProbe{Rate: 200}, sent: 1000,
		usage: world.Usage{Published: 3000, CrossAccount: 3000, Replayed: 500}}
	c := cost(r, withPrices(nil))
	// 3 × $1.00 + 3 × $0.05 + 0.5 × $1.00 per million orders.
	if c.USDPerMillion != 3.65 || c.AtRate != 200 || len(c.Lines) != 3 {
		t.Fatalf("cost %+v", c)
	}
	c = cost(r, withPrices(map[string]float64{ItemCrossAccount: 1}))
	if c.USDPerMillion != 6.5 || len(c.Prices.Overridden) != 1 || c.Prices.Items[1].Source != "--price cross-account" {
		t.Fatalf("with cross-account at $1: %+v", c)
	}
	if cost(nil, withPrices(nil)) != nil || cost(&run{}, withPrices(nil)) != nil {
		t.Error("a cost without orders")
	}
	if DefaultPrices.Items[1].USDPerMillion != 0.05 {
		t.Error("withPrices changed the default table")
	}
	for _, p := range DefaultPrices.Items {
		if p.Source == "" || DefaultPrices.Date == "" {
			t.Errorf("%s has no source or date", p.Item)
		}
	}
}

func TestParsePrice(t *testing.T) {
	cases := []struct {
		in   string
		item string
		usd  float64
		ok   bool
	}{
		{"published=1.00", ItemPublished, 1, true},
		{"cross-account=$0.05", ItemCrossAccount, 0.05, true},
		{" replayed = 0 ", ItemReplayed, 0, true},
		{"published", "", 0, false},
		{"archive=1", "", 0, false},
		{"published=-1", "", 0, false},
		{"published=cheap", "", 0, false},
		{"published=1e9", "", 0, false},
	}
	for _, c := range cases {
		item, usd, err := ParsePrice(c.in)
		if (err == nil) != c.ok || item != c.item || usd != c.usd {
			t.Errorf("ParsePrice(%q) = %q, %g, %v", c.in, item, usd, err)
		}
	}
}
