package topology

import "slices"

// quotaTier is one row of EventBridge's Service Quotas table ([QUOTA],
// eventbridge-model.md §2.1): AWS groups Regions into tiers that share
// both the PutEvents and the invocations quota.
type quotaTier struct {
	regions                   []string
	putEventsTPS, invocations float64
}

// quotaTiers lists the tiers; every Region not listed is in defaultTier.
// Regional figures change over time: scenarios override them (model:
// putevents_tps, invocations_tps).
var (
	quotaTiers = []quotaTier{
		{[]string{"us-east-1", "us-west-2", "eu-west-1"}, 10000, 18750},
		{[]string{"us-east-2", "eu-central-1", "eu-south-2"}, 2400, 4500},
		{[]string{"us-west-1", "ap-northeast-1", "ap-southeast-1", "ap-southeast-2", "eu-west-2"}, 1200, 2250},
		{[]string{"ap-east-1", "ap-northeast-2", "ap-south-1", "ca-central-1", "eu-north-1", "eu-west-3", "sa-east-1"}, 600, 1100},
	}
	defaultTier = quotaTier{putEventsTPS: 400, invocations: 750}
)

func tierOf(region string) quotaTier {
	for _, t := range quotaTiers {
		if slices.Contains(t.regions, region) {
			return t
		}
	}
	return defaultTier
}

// PutEventsTPSByRegion returns the default PutEvents quota of a Region:
// requests per second per account, shared by all the account's buses.
func PutEventsTPSByRegion(region string) float64 { return tierOf(region).putEventsTPS }

// InvocationsTPSByRegion returns the default invocations quota of a
// Region: target invocations per second per account.
func InvocationsTPSByRegion(region string) float64 { return tierOf(region).invocations }
