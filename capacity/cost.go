package capacity

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/busdrill/busdrill/report"
)

// Billed items of the cost estimate (the keys of --price).
const (
	ItemPublished    = "published"
	ItemCrossAccount = "cross-account"
	ItemReplayed     = "replayed"
)

// DefaultPrices is EventBridge's price per million billed events (64 KB
// chunks) of the three items an order's journey causes, looked up on the
// date given. Prices change; --price ITEM=USD overrides an item.
//
// The AWS Price List (the machine-readable offer file behind the pricing
// page) lists "$0.05 per million cross-account invocations with custom
// events", effective 2025-01-01; guides written since still quote $1.00
// per million for cross-account events, so the figure is worth checking
// against a bill. An event a bus forwards to another account's bus is
// counted once, as a cross-account delivery (our reading of that offer),
// not again as a custom event published.
var DefaultPrices = report.PriceTable{
	Date:   "2026-12-03",
	Region: "us-east-1 (the same in most commercial Regions)",
	Items: []report.Price{
		{Item: ItemPublished, USDPerMillion: 1.00,
			Source: "https://aws.amazon.com/eventbridge/pricing/ (event buses, custom events; each 64 KB chunk of a payload is one event)"},
		{Item: ItemCrossAccount, USDPerMillion: 0.05,
			Source: "AWS Price List, service AWSEvents, operation CrossAccountInvoke-CustomEvent: $0.05 per million cross-account invocations with custom events (effective 2025-01-01)",
			Note:   "third-party guides (2026) quote $1.00 per million; an event forwarded to another account's bus is counted here once"},
		{Item: ItemReplayed, USDPerMillion: 1.00,
			Source: "https://cloudburn.io/blog/amazon-eventbridge-pricing (March 2026): replays $1.00 per million events",
			Note:   "archive processing ($0.10/GB) and storage ($0.023/GB-month) are not included"},
	},
}

// ParsePrice parses --price ITEM=USD (US dollars per million billed
// events).
func ParsePrice(s string) (item string, usd float64, err error) {
	k, v, ok := strings.Cut(s, "=")
	k, v = strings.TrimSpace(k), strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), "$"))
	items := []string{ItemPublished, ItemCrossAccount, ItemReplayed}
	if !ok || !slices.Contains(items, k) {
		return "", 0, fmt.Errorf("--price %q: write ITEM=USD per million events, ITEM one of %s", clip(s), strings.Join(items, ", "))
	}
	usd, err = strconv.ParseFloat(v, 64)
	if err != nil || !(usd >= 0) || usd > 1e6 {
		return "", 0, fmt.Errorf("--price %q: want a price from 0 to 1000000 US dollars per million events", clip(s))
	}
	return k, usd, nil
}

// withPrices returns the default table with overrides (item → USD).
func withPrices(over map[string]float64) report.PriceTable {
	t := DefaultPrices
	t.Items = slices.Clone(t.Items)
	for i := range t.Items {
		if usd, ok := over[t.Items[i].Item]; ok {
			t.Items[i].USDPerMillion = usd
			t.Items[i].Source = "--price " + t.Items[i].Item
			t.Items[i].Note = ""
			t.Overridden = append(t.Overridden, t.Items[i].Item)
		}
	}
	return t
}

// cost is the cost per million orders of a probe's run: the billed events
// per order of each item times its price.
func cost(r *run, prices report.PriceTable) *report.CapacityCost {
	if r == nil || r.sent == 0 {
		return nil
	}
	per := map[string]float64{
		ItemPublished:    float64(r.usage.Published) / float64(r.sent),
		ItemCrossAccount: float64(r.usage.CrossAccount) / float64(r.sent),
		ItemReplayed:     float64(r.usage.Replayed) / float64(r.sent),
	}
	c := &report.CapacityCost{AtRate: r.probe.Rate, Prices: prices}
	for _, p := range prices.Items {
		l := report.CostLine{Item: p.Item, PerOrder: round(per[p.Item], 4), USDPerMillion: p.USDPerMillion}
		l.USDPerMOrders = round(per[p.Item]*p.USDPerMillion, 4)
		c.USDPerMillion += l.USDPerMOrders
		c.Lines = append(c.Lines, l)
	}
	c.USDPerMillion = round(c.USDPerMillion, 4)
	return c
}
