package topology

import (
	"reflect"
	"strings"
	"testing"

	"github.com/busdrill/busdrill/event"
)

// small is a valid two-account topology the table tests break in one
// place each.
func small() *Topology {
	return &Topology{
		Accounts: []Account{{Name: "a", ID: "111111111111", OrgID: "o-x"}, {Name: "b", ID: "222222222222", OrgID: "o-x"}},
		Buses: []Bus{
			{Account: "a", Name: "main", Rules: []Rule{{
				Name: "r", Pattern: `{"source":["s"]}`,
				Targets: []Target{{ID: "fwd", Kind: KindBus, Bus: "b/main", Role: "role"}, {ID: "q", Kind: KindQueue, Queue: "a/q", DLQ: "a/dlq"}},
			}}},
			{Account: "b", Name: "main", Policy: []Statement{{Sid: "from-a", Principal: "a"}}, Rules: []Rule{{
				Name: "all", Pattern: `{"source":[{"prefix":""}]}`,
				Targets: []Target{{ID: "h", Kind: KindHandler, Handler: "b/h"}, {ID: "log", Kind: KindLog, Log: "all"}},
			}}},
		},
		Queues:   []Queue{{Account: "a", Name: "q"}, {Account: "a", Name: "dlq"}},
		Handlers: []Handler{{Account: "b", Name: "h"}},
		Archives: []Archive{{Name: "arch", Bus: "a/main"}},
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(t *Topology)
		want   []string // "path: message prefix"
	}{
		// The base topology is valid.
		{"valid", func(*Topology) {}, nil},
		// Account ids are 12 digits and unique; names unique.
		{"bad account id", func(t *Topology) { t.Accounts[1].ID = "12" }, []string{"accounts[1].id: account id \"12\" must be 12 digits"}},
		{"duplicate account", func(t *Topology) { t.Accounts[1].Name = "a" }, []string{
			"accounts[1].name: duplicate account",
			// b's bus, policy and handler now reference an unknown account.
			"buses[1].account: unknown account",
			"handlers[0].account: unknown account",
		}},
		// Every problem is reported, not just the first.
		{"several", func(t *Topology) {
			t.Buses[0].Rules[0].Pattern = `{"source":"s"}`
			t.Buses[0].Rules[0].Targets[1].Queue = "a/none"
			t.Buses[1].Rules[0].Targets[0].Handler = "b/none"
		}, []string{
			"buses[0].rules[0].pattern: Event pattern is not valid. Reason: \"source\" must be an object or an array",
			"buses[0].rules[0].targets[1].queue: unknown queue \"a/none\"",
			"buses[1].rules[0].targets[0].handler: unknown handler \"b/none\"",
		}},
		// Rule names and target ids are restricted and unique.
		{"duplicate rule", func(t *Topology) { t.Buses[0].Rules = append(t.Buses[0].Rules, t.Buses[0].Rules[0]) }, []string{"buses[0].rules[1].name: duplicate rule \"r\""}},
		{"duplicate target", func(t *Topology) { t.Buses[1].Rules[0].Targets[1].ID = "h" }, []string{"buses[1].rules[0].targets[1].id: duplicate target id \"h\""}},
		// At most five targets per rule.
		{"six targets", func(t *Topology) {
			r := &t.Buses[1].Rules[0]
			for i := 0; i < 4; i++ {
				r.Targets = append(r.Targets, Target{ID: "l" + string(rune('0'+i)), Kind: KindLog, Log: "x"})
			}
		}, []string{"buses[1].rules[0].targets: rule has 6 targets, more than the limit of 5"}},
		// The rules-per-bus quota is checked (lowered here).
		{"rules quota", func(t *Topology) {
			t.Limits.RulesPerBus = 1
			t.Buses[1].Rules = append(t.Buses[1].Rules, Rule{Name: "x", Pattern: `{"source":["x"]}`})
		}, []string{"buses[1].rules: bus \"b/main\" has 2 rules, more than the quota of 1"}},
		// Pattern size quota.
		{"pattern size", func(t *Topology) {
			t.Limits.PatternChars = 10
		}, []string{"buses[0].rules[0].pattern: event pattern is 16 characters", "buses[1].rules[0].pattern: event pattern is 26 characters"}},
		// A cross-account bus target needs a role.
		{"no role", func(t *Topology) { t.Buses[0].Rules[0].Targets[0].Role = "" }, []string{"buses[0].rules[0].targets[0].role: a role is required"}},
		// Retry policy ranges.
		{"retry ranges", func(t *Topology) {
			t.Buses[0].Rules[0].Targets[1].Retry = RetryPolicy{MaximumRetryAttempts: Int(-1), MaximumEventAgeInSeconds: Int(86401)}
		}, []string{
			"buses[0].rules[0].targets[1].retry.maximum_retry_attempts: MaximumRetryAttempts -1 must be within 0-185",
			"buses[0].rules[0].targets[1].retry.maximum_event_age_in_seconds: MaximumEventAgeInSeconds 86401 must be within 60-86400",
		}},
		// Kind-specific fields.
		{"wrong field", func(t *Topology) { t.Buses[1].Rules[0].Targets[1].Queue = "a/q" }, []string{"buses[1].rules[0].targets[1].queue: queue is not allowed on a log target"}},
		{"unknown kind", func(t *Topology) { t.Buses[1].Rules[0].Targets[1].Kind = "sns" }, []string{"buses[1].rules[0].targets[1].kind: target kind \"sns\""}},
		// Policies name known principals.
		{"bad principal", func(t *Topology) { t.Buses[1].Policy[0].Principal = "zz" }, []string{"buses[1].policy[0].principal: principal \"zz\""}},
		{"duplicate sid", func(t *Topology) { t.Buses[1].Policy = append(t.Buses[1].Policy, t.Buses[1].Policy[0]) }, []string{"buses[1].policy[1].sid: duplicate statement id"}},
		// Archives reference a bus and compile their pattern.
		{"archive", func(t *Topology) { t.Archives[0].Bus = "a/zz"; t.Archives[0].Pattern = `[]` }, []string{
			"archives[0].bus: unknown bus \"a/zz\"",
			"archives[0].pattern: Event pattern is not valid. Reason: Filter is not an object",
		}},
		// Duplicate buses and queues.
		{"duplicate bus", func(t *Topology) { t.Buses = append(t.Buses, Bus{Account: "a", Name: "main"}) }, []string{"buses[2].name: duplicate bus \"a/main\""}},
		{"duplicate queue", func(t *Topology) { t.Queues[1].Name = "q" }, []string{
			"buses[0].rules[0].targets[1].dlq: unknown dead-letter queue \"a/dlq\"",
			"queues[1].name: duplicate queue \"a/q\"",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tp := small()
			tt.break_(tp)
			got := tp.Validate()
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(got), len(tt.want), Problems(got))
			}
			for i, p := range got {
				if !strings.HasPrefix(p.String(), tt.want[i]) {
					t.Errorf("problem %d = %q, want prefix %q", i, p.String(), tt.want[i])
				}
			}
		})
	}
}

func TestReferenceValidates(t *testing.T) {
	for n := 1; n <= 5; n++ {
		tp := Reference(n, Service{Name: "orders", Queues: []string{"inbox"}, Rules: []Rule{{
			Name: "mine", Pattern: `{"detail-type":["X"]}`, Targets: []Target{{ID: "q", Kind: KindQueue, Queue: "orders/inbox"}},
		}}})
		if ps := tp.Validate(); len(ps) > 0 {
			t.Fatalf("Reference(%d): %v", n, Problems(ps))
		}
		if got := len(tp.Buses); got != n+1 {
			t.Fatalf("Reference(%d) has %d buses", n, got)
		}
	}
}

func TestExpectedRoutes(t *testing.T) {
	ref := Reference(3, Service{Name: "orders"}, Service{Name: "delivery", Handlers: []string{"worker"}, Rules: []Rule{{
		Name: "orders", Pattern: `{"detail-type":["Order.Created"]}`, Targets: []Target{{ID: "h", Kind: KindHandler, Handler: "delivery/worker"}},
	}}}, Service{Name: "billing"})
	// A second path to the same consumer counts twice.
	twice := Reference(2, Service{Name: "orders"}, Service{Name: "delivery"})
	twice.Buses[0].Rules = append(twice.Buses[0].Rules, Rule{Name: "again", Pattern: `{"source":["s"]}`,
		Targets: []Target{{ID: "local", Kind: KindBus, Bus: "delivery/local", Role: "r"}}})
	// A local bus forwarding back up to global: the second hop is refused.
	hop := Reference(2, Service{Name: "orders", Rules: []Rule{{Name: "up", Pattern: `{"source":["s"]}`,
		Targets: []Target{{ID: "g", Kind: KindBus, Bus: "bus/global", Role: "r"}}}}}, Service{Name: "delivery"})
	// A rule configured DISABLED routes nothing.
	disabled := Reference(2, Service{Name: "orders"}, Service{Name: "delivery"})
	disabled.Buses[0].Rules[1].State = Disabled
	// A destination bus whose policy does not allow the forwarder.
	denied := Reference(2, Service{Name: "orders"}, Service{Name: "delivery"})
	denied.Buses[2].Policy = nil

	tests := []struct {
		name   string
		t      *Topology
		sender string
		bus    string
		dt     string
		want   []string
	}{
		// Fan out to every local bus but the sender's, plus every log.
		{"fan-out", ref, "orders", "bus/global", "Other", []string{
			"billing/local/catch-all/log", "bus/global/catch-all/log", "delivery/local/catch-all/log"}},
		// The delivery handler consumes Order.Created.
		{"consumer", ref, "orders", "bus/global", "Order.Created", []string{
			"billing/local/catch-all/log", "bus/global/catch-all/log", "delivery/local/catch-all/log", "delivery/local/orders/h"}},
		// The sender's own pattern excludes its local bus.
		{"sender excluded", ref, "delivery", "bus/global", "Order.Created", []string{
			"billing/local/catch-all/log", "bus/global/catch-all/log", "orders/local/catch-all/log"}},
		// The bus account is not excluded anywhere: every local bus.
		{"bus account", ref, "bus", "global", "X", []string{
			"billing/local/catch-all/log", "bus/global/catch-all/log", "delivery/local/catch-all/log", "orders/local/catch-all/log"}},
		// By ARN.
		{"arn", ref, "orders", "arn:aws:events:us-east-1:100000000000:event-bus/global", "X", []string{
			"billing/local/catch-all/log", "bus/global/catch-all/log", "delivery/local/catch-all/log"}},
		// Unknown bus: accepted by PutEvents, routed nowhere.
		{"unknown bus", ref, "orders", "nope", "X", nil},
		// Another account's bus without permission: AccessDenied.
		{"access denied", ref, "orders", "delivery/local", "X", nil},
		// Unknown sender.
		{"unknown sender", ref, "zz", "bus/global", "X", nil},
		{"twice", twice, "orders", "bus/global", "X", []string{
			"bus/global/catch-all/log", "delivery/local/catch-all/log", "delivery/local/catch-all/log"}},
		// The one-hop rule is not applied: the forward it refuses is an expected
		// route, which the ledger then shows lost with THIRD_ACCOUNT_HOP_DETECTED.
		{"second hop expected", hop, "orders", "local", "X", []string{"bus/global/catch-all/log", "delivery/local/catch-all/log", "orders/local/catch-all/log"}},
		{"disabled rule", disabled, "orders", "bus/global", "X", []string{"bus/global/catch-all/log"}},
		{"policy denies forward", denied, "orders", "bus/global", "X", []string{"bus/global/catch-all/log"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewRouter(tt.t)
			if err != nil {
				t.Fatal(err)
			}
			s, ok := r.X.Account(tt.sender)
			id := ""
			if ok {
				id = tt.t.Accounts[s].ID
			}
			env := &event.Envelope{ID: "1", Source: "s", DetailType: tt.dt, Account: id, Region: "us-east-1", Detail: []byte("{}")}
			got := r.ExpectedRoutes(tt.sender, tt.bus, env)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestSplitRefAndARN(t *testing.T) {
	if a, n, ok := SplitRef("orders/local"); !ok || a != "orders" || n != "local" {
		t.Errorf("SplitRef: %q %q %v", a, n, ok)
	}
	for _, bad := range []string{"", "x", "/x", "x/", "a/b/c"} {
		if _, _, ok := SplitRef(bad); ok {
			t.Errorf("SplitRef(%q) ok", bad)
		}
	}
	arn := BusARN("us-east-1", "123456789012", "global")
	if id, n, ok := ParseBusARN(arn); !ok || id != "123456789012" || n != "global" {
		t.Errorf("ParseBusARN(%q) = %q %q %v", arn, id, n, ok)
	}
}

func TestPolicyAllows(t *testing.T) {
	owner := &Account{Name: "o", ID: "000000000000", OrgID: "o-1"}
	a := &Account{Name: "a", ID: "111111111111", OrgID: "o-1"}
	b := &Account{Name: "b", ID: "222222222222", OrgID: "o-2"}
	tests := []struct {
		name   string
		policy []Statement
		sender *Account
		want   bool
	}{
		// The owner is always allowed.
		{"owner", nil, owner, true},
		// No statement: denied.
		{"empty", nil, a, false},
		// By name or by id.
		{"by name", []Statement{{Sid: "s", Principal: "a"}}, a, true},
		{"by id", []Statement{{Sid: "s", Principal: "111111111111"}}, a, true},
		{"other", []Statement{{Sid: "s", Principal: "a"}}, b, false},
		// "*" with an organization condition.
		{"org in", []Statement{{Sid: "s", Principal: "*", OrgID: "o-1"}}, a, true},
		{"org out", []Statement{{Sid: "s", Principal: "*", OrgID: "o-1"}}, b, false},
		{"star", []Statement{{Sid: "s", Principal: "*"}}, b, true},
	}
	for _, tt := range tests {
		if got := PolicyAllows(tt.policy, owner, tt.sender); got != tt.want {
			t.Errorf("%s: got %v", tt.name, got)
		}
	}
}
