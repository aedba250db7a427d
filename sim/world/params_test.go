package world

import (
	"testing"
	"time"

	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/sim/backbone"
)

// A scenario's model section and service keys become the model's
// parameters; what the file leaves out keeps the documented default.
func TestParamsFor(t *testing.T) {
	const withModel = `
name: params
seed: 7
topology:
  reference:
    services: [{name: orders}, {name: delivery}]
services:
  - {name: order-service, account: orders, on: Delivery.Updated, emit: Order.Updated}
  - {name: delivery-service, account: delivery, on: Order.Created, emit: Delivery.Updated,
     processing: 5s, concurrency: 8, failure: 0.25}
traffic: {rate: 1/s, duration: 1m}
model:
  putevents_tps: 50
  putevents_burst: 5
  invocations_tps: 70
  invocations_burst: 7
  max_request_bytes: 256KiB
  control_plane_lag: 0s
  duplicate_probability: 0.01
  latency: {forward: 40ms}
  backoff: {base: 2s, cap: 1m, jitter: 0.5}
  cross_account_denied_code: CROSS_ACCOUNT_INGESTION_FAILED
  archive_lag: 1m
  replay_new_ids: true
`
	const withoutModel = `
name: defaults
topology:
  reference:
    services: [{name: orders}, {name: delivery}]
services:
  - {name: delivery-service, account: delivery, on: Order.Created, emit: Delivery.Updated}
traffic: {rate: 1/s, duration: 1m}
`
	def := backbone.DefaultParams()
	for _, tc := range []struct {
		name  string
		yaml  string
		check func(t *testing.T, p backbone.Params)
	}{
		{"every model key overrides its default", withModel, func(t *testing.T, p backbone.Params) {
			if p.Seed != 7 || p.PutEventsTPS != 50 || p.PutEventsBurst != 5 || p.InvocationsTPS != 70 || p.InvocationsBurst != 7 {
				t.Errorf("seed and quotas: %+v", p)
			}
			if p.MaxRequestBytes != 256<<10 || p.ControlPlaneLag != 0 || p.DuplicateProbability != 0.01 {
				t.Errorf("size limit %d, lag %v, duplicates %v", p.MaxRequestBytes, p.ControlPlaneLag, p.DuplicateProbability)
			}
			if got := rng.Duration(p.Latency.Forward, nil); got != 40*time.Millisecond {
				t.Errorf("forward latency %v", got)
			}
			if p.Latency.Ack != def.Latency.Ack {
				t.Errorf("ack latency %v, want the default %v", p.Latency.Ack, def.Latency.Ack)
			}
			if p.Backoff != (backbone.Backoff{Base: 2 * time.Second, Cap: time.Minute, Jitter: 0.5}) {
				t.Errorf("backoff %+v", p.Backoff)
			}
			if p.CrossAccountDeniedCode != "CROSS_ACCOUNT_INGESTION_FAILED" || !p.ReplayNewIDs {
				t.Errorf("code %q, replay new ids %v", p.CrossAccountDeniedCode, p.ReplayNewIDs)
			}
			if got := rng.Duration(p.ArchiveLag, nil); got != time.Minute {
				t.Errorf("archive lag %v", got)
			}
			if len(p.Handlers) != 2 {
				t.Fatalf("handlers %+v", p.Handlers)
			}
			o, d := p.Handlers[0], p.Handlers[1]
			if o.Handler != "orders/order-service" || o.Concurrency != 1000 || o.FailureProbability != 0 {
				t.Errorf("order-service %+v", o)
			}
			if d.Handler != "delivery/delivery-service" || d.Concurrency != 8 || d.FailureProbability != 0.25 ||
				rng.Duration(d.Process, nil) != 5*time.Second {
				t.Errorf("delivery-service %+v", d)
			}
		}},
		{"no model section keeps every default", withoutModel, func(t *testing.T, p backbone.Params) {
			if p.Seed != scenarios.DefaultSeed || p.PutEventsTPS != 0 || p.InvocationsTPS != 0 ||
				p.MaxRequestBytes != def.MaxRequestBytes || p.ControlPlaneLag != def.ControlPlaneLag ||
				p.Backoff != def.Backoff || p.CrossAccountDeniedCode != def.CrossAccountDeniedCode {
				t.Errorf("%+v", p)
			}
			want := backbone.DefaultHandlerSpec("delivery/delivery-service")
			if len(p.Handlers) != 1 || p.Handlers[0].Concurrency != want.Concurrency || p.Handlers[0].Process != want.Process {
				t.Errorf("handlers %+v", p.Handlers)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := scenarios.Load(tc.name+".yaml", []byte(tc.yaml), scenarios.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, ParamsFor(sc))
		})
	}
}
