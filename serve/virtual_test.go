package serve

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/sim"
)

// These tests drive the backend in virtual time, without HTTP or sleeps:
// the loop's logic is the backend's methods at the model's instants.

var t0 = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func newTestBackend(t *testing.T, opts Options) *backend {
	t.Helper()
	if opts.Faults == "" {
		opts.Faults = FaultsBackbone
	}
	if opts.FaultClock == "" {
		opts.FaultClock = FaultClockTraffic
	}
	b, err := preload(&opts, t0)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// result is an operation's answer, once it came.
type result struct {
	out  any
	err  *apiError
	done bool
}

// call runs an operation as the loop does, at the backend's instant.
func call[In any](b *backend, op operation, account string, in *In) *result {
	r := &result{}
	op.run(b, caller{account: account, host: "serve.test"}, in, func() bool { return true }, func(out any, err *apiError) {
		r.out, r.err, r.done = out, err, true
	})
	return r
}

func at(b *backend, d time.Duration) { b.advance(sim.At(d)) }

func messages(t *testing.T, r *result) []apiMessage {
	t.Helper()
	if !r.done || r.err != nil {
		t.Fatalf("receive: done %v err %v", r.done, r.err)
	}
	return r.out.(map[string][]apiMessage)["Messages"]
}

func intp(v int) *int       { return &v }
func strp(s string) *string { return &s }

// Visibility timeouts, receive counts, delays and long polls on the
// model's clock.
func TestQueueSemanticsInVirtualTime(t *testing.T) {
	b := newTestBackend(t, Options{})
	const a = "111111111111"
	call(b, sqsOps["CreateQueue"], a, &sqsIn{QueueName: "q", Attributes: map[string]string{"VisibilityTimeout": "30"}})
	url := "http://serve.test/" + a + "/q"
	recv := func(wait int) *result {
		return call(b, sqsOps["ReceiveMessage"], a, &sqsIn{QueueUrl: url, WaitTimeSeconds: intp(wait), MaxNumberOfMessages: 10,
			AttributeNames: []string{"ApproximateReceiveCount"}})
	}
	call(b, sqsOps["SendMessage"], a, &sqsIn{QueueUrl: url, MessageBody: strp("m1")})
	if got := messages(t, recv(0)); len(got) != 1 || got[0].Attributes["ApproximateReceiveCount"] != "1" {
		t.Fatalf("first receive: %+v", got)
	}
	at(b, 29*time.Second)
	if got := messages(t, recv(0)); len(got) != 0 {
		t.Fatalf("invisible message received at 29s: %+v", got)
	}
	// A long poll started at 29s is answered at 30s, when the message
	// becomes visible again, not before.
	lp := recv(20)
	at(b, 29999*time.Millisecond)
	if lp.done {
		t.Fatal("long poll answered before the visibility timeout ended")
	}
	at(b, 30*time.Second)
	if got := messages(t, lp); len(got) != 1 || got[0].Attributes["ApproximateReceiveCount"] != "2" {
		t.Fatalf("after the visibility timeout: %+v", got)
	}
	// A delayed message, and a long poll that ends empty at its wait.
	call(b, sqsOps["SendMessage"], a, &sqsIn{QueueUrl: url, MessageBody: strp("late"), DelaySeconds: intp(10)})
	lp = recv(5)
	at(b, 35*time.Second)
	if got := messages(t, lp); len(got) != 0 {
		t.Fatalf("delayed message received early: %+v", got)
	}
	lp = recv(20)
	at(b, 40*time.Second)
	if got := messages(t, lp); len(got) != 1 || got[0].Body != "late" {
		t.Fatalf("delayed message at 40s: %+v", got)
	}
}

// Rule and target changes reach the data plane after the control-plane
// lag; what was published before is matched against the old rules.
func TestControlPlaneLagInVirtualTime(t *testing.T) {
	b := newTestBackend(t, Options{ControlPlaneLag: 5 * time.Second})
	const a = "111111111111"
	call(b, sqsOps["CreateQueue"], a, &sqsIn{QueueName: "q"})
	call(b, eventsOps["PutRule"], a, &ruleIn{Name: "r", EventPattern: strp(`{"source":["s"]}`)})
	call(b, eventsOps["PutTargets"], a, &targetsIn{Rule: "r", Targets: []apiTarget{{Id: "t", Arn: "arn:aws:sqs:us-east-1:" + a + ":q"}}})
	publish := func() {
		in, _ := decodePutEvents([]byte(`{"Entries":[{"Source":"s","DetailType":"t","Detail":"{}"}]}`))
		call(b, eventsOps["PutEvents"], a, in.(*putEventsReq))
	}
	at(b, 4*time.Second)
	publish() // before the rule exists in the data plane
	at(b, 6*time.Second)
	publish()
	at(b, 8*time.Second)
	url := "http://serve.test/" + a + "/q"
	got := messages(t, call(b, sqsOps["ReceiveMessage"], a, &sqsIn{QueueUrl: url, MaxNumberOfMessages: 10}))
	if len(got) != 1 {
		t.Fatalf("%d messages, want 1 (the event published at 4s met no rule yet)", len(got))
	}
}

// A preloaded scenario's fault runs on the traffic clock: time 0 is the
// first order's (its arrival minus its intended_ns), so the faults land
// where the simulator puts them whenever the run starts.
func TestFaultScheduleOnTheTrafficClock(t *testing.T) {
	sc, err := scenarios.Builtin("disabled-rule")
	if err != nil {
		t.Fatal(err)
	}
	b := newTestBackend(t, Options{Scenario: sc, Faults: FaultsAll})
	const orders = "222222222222"
	state := func() string {
		r := call(b, eventsOps["DescribeRule"], "111111111111", &ruleIn{Name: "to-delivery", EventBusName: "global"})
		return r.out.(apiRule).State
	}
	at(b, 30*time.Second) // serve has been up 30 s when the run starts
	in, _ := decodePutEvents([]byte(`{"Entries":[{"Source":"busdrill.orders","DetailType":"Order.Created","EventBusName":"arn:aws:events:us-east-1:111111111111:event-bus/global",` +
		`"Detail":"{\"metadata\":{\"run_id\":\"r\",\"journey_id\":\"j-000000000000\",\"intended_ns\":50000000}}"}]}`))
	call(b, eventsOps["PutEvents"], orders, in.(*putEventsReq))
	zero := 30*time.Second - 50*time.Millisecond
	for _, tc := range []struct {
		at   time.Duration
		want string
	}{
		{zero + 2*time.Minute - time.Millisecond, stateEnabled},
		{zero + 2*time.Minute, stateDisabled},
		{zero + 3*time.Minute - time.Millisecond, stateDisabled},
		{zero + 3*time.Minute, stateEnabled},
	} {
		at(b, tc.at)
		if got := state(); got != tc.want {
			t.Errorf("at %v: rule %s, want %s", tc.at, got, tc.want)
		}
	}
	// With the backbone selection (the default), a disable-rule fault is
	// the live run's to inject: serve leaves it alone.
	b = newTestBackend(t, Options{Scenario: sc})
	if len(b.faults.tl.Faults) != 0 {
		t.Fatalf("backbone selection kept %v", b.faults.tl.Names())
	}
}

// A fault live mode cannot inject (an outage of a service) runs on serve's
// own schedule and takes effect: the service's invocations fail and are
// retried while it lasts.
func TestBackboneFaultTakesEffect(t *testing.T) {
	sc, err := scenarios.Builtin("consumer-outage")
	if err != nil {
		t.Fatal(err)
	}
	b := newTestBackend(t, Options{Scenario: sc, FaultClock: FaultClockStart})
	if len(b.faults.tl.Faults) != 1 {
		t.Fatalf("the backbone selection has %v", b.faults.tl.Names())
	}
	at(b, time.Minute+time.Second)
	if st := b.faults.states["delivery-down"]; st != "active" {
		t.Fatalf("at 1m1s the outage is %q", st)
	}
	in, _ := decodePutEvents([]byte(`{"Entries":[{"Source":"busdrill.orders","DetailType":"Order.Created","EventBusName":"arn:aws:events:us-east-1:111111111111:event-bus/global","Detail":"{}"}]}`))
	call(b, eventsOps["PutEvents"], "222222222222", in.(*putEventsReq))
	at(b, 2*time.Minute)
	retries := uint64(0)
	for _, m := range b.model.Metrics() {
		if m.Name == "RetryInvocationAttempts" && m.Scope == "delivery/local" {
			retries = m.Value
		}
	}
	if retries == 0 {
		t.Fatalf("no retried invocation on delivery/local during the outage: %v", b.model.Metrics())
	}
	at(b, 3*time.Minute+time.Second)
	if st := b.faults.states["delivery-down"]; st != "done" {
		t.Fatalf("after its window the outage is %q", st)
	}
}

// With stand-ins, the scenario's services run in their handler targets:
// an Order.Created leads to the delivery service's Delivery.Updated and
// the order service's Order.Updated, published as their accounts.
func TestStandInsPlayTheJourney(t *testing.T) {
	sc, err := scenarios.Builtin("reference")
	if err != nil {
		t.Fatal(err)
	}
	b := newTestBackend(t, Options{Scenario: sc, StandIns: true})
	f, err := loadgen.NewFactory(loadgen.FactoryConfig{RunID: "r1", Payload: sc.Traffic.Payload, Origins: sc.Traffic.Origins}, rng.NewStreams(sc.Seed))
	if err != nil {
		t.Fatal(err)
	}
	o := f.Order(loadgen.Arrival{Index: 0})
	e := f.Entry(&o, loadgen.OrderCreated)
	body, _ := json.Marshal(map[string]any{"Entries": []map[string]any{{"Source": e.Source, "DetailType": e.DetailType,
		"Detail": string(e.Detail), "EventBusName": "arn:aws:events:us-east-1:111111111111:event-bus/global"}}})
	in, derr := decodePutEvents(body)
	if derr != nil {
		t.Fatal(derr)
	}
	call(b, eventsOps["PutEvents"], "222222222222", in.(*putEventsReq))
	at(b, time.Minute)
	calls := map[string]uint64{}
	for _, m := range b.model.Metrics() {
		if m.Name == "PutEventsApproximateCallCount" {
			calls[m.Scope] = m.Value
		}
	}
	if calls["orders"] != 2 || calls["delivery"] != 1 {
		t.Fatalf("PutEvents calls by account %v, want orders 2 (Order.Created, Order.Updated) and delivery 1", calls)
	}
}
