package actors

import (
	"reflect"
	"testing"

	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/topology"
)

func TestQuotasFor(t *testing.T) {
	accounts := []topology.Account{{Name: "bus"}, {Name: "orders"}}
	tests := []struct {
		name     string
		model    scenarios.Model
		region   string
		put, inv float64
	}{
		{"region default", scenarios.Model{}, "us-east-1",
			topology.PutEventsTPSByRegion("us-east-1"), topology.InvocationsTPSByRegion("us-east-1")},
		{"model overrides", scenarios.Model{PutEventsTPS: 40, InvocationsTPS: 70}, "us-east-1", 40, 70},
		{"one overridden", scenarios.Model{InvocationsTPS: 70}, "eu-west-1",
			topology.PutEventsTPSByRegion("eu-west-1"), 70},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := &scenarios.Scenario{Model: tt.model, Topology: &topology.Topology{Accounts: accounts}}
			want := []report.Quota{
				{Name: report.QuotaPutEvents, Account: "bus", Limit: tt.put},
				{Name: report.QuotaInvocations, Account: "bus", Limit: tt.inv},
				{Name: report.QuotaPutEvents, Account: "orders", Limit: tt.put},
				{Name: report.QuotaInvocations, Account: "orders", Limit: tt.inv},
			}
			if got := QuotasFor(sc, tt.region); !reflect.DeepEqual(got, want) {
				t.Errorf("QuotasFor = %+v, want %+v", got, want)
			}
		})
	}
}

func TestPlanShard(t *testing.T) {
	sc := &scenarios.Scenario{Name: "s", Seed: 7, Topology: &topology.Topology{}}
	whole := Plan{Scenario: sc, Target: "sim", Shard: loadgen.Shard{Index: 0, Count: 1}}.Recorder().Finish(nil)
	if whole.Shard != nil {
		t.Errorf("one shard of one: results name shard %+v, want none", whole.Shard)
	}
	part := Plan{Scenario: sc, Target: "sim", Shard: loadgen.Shard{Index: 2, Count: 4}}.Recorder().Finish(nil)
	if part.Shard == nil || *part.Shard != (report.Shard{Index: 2, Count: 4}) {
		t.Errorf("shard = %+v, want 2 of 4", part.Shard)
	}
	if part.Scenario != "s" || part.Seed != 7 || part.Target != "sim" {
		t.Errorf("results name %q seed %d target %q", part.Scenario, part.Seed, part.Target)
	}
}
