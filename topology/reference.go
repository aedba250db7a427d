package topology

import "fmt"

// Names used by the reference backbone.
const (
	// RefBusAccount is the name of the account that owns the global bus.
	RefBusAccount = "bus"
	// RefGlobalBus and RefLocalBus are the bus names.
	RefGlobalBus = "global"
	RefLocalBus  = "local"
	// RefCatchAllRule is the catch-all rule on every bus; its one target
	// (id RefLogTarget) is a log group.
	RefCatchAllRule = "catch-all"
	RefLogTarget    = "log"
	// RefCatchAllPattern matches every event (every event has a string
	// source).
	RefCatchAllPattern = `{"source":[{"prefix":""}]}`
	// RefOrgID is the organization every reference account belongs to.
	RefOrgID = "o-busdrill"
)

// Service is one service account of the reference backbone, with what it
// consumes from its local bus.
type Service struct {
	// Name is the account name ("orders").
	Name string
	// ID is the 12-digit account id; "" derives one (see Reference).
	ID string
	// Rules are extra rules on the service's local bus: the service's
	// consumers. Their targets reference the service's queues and handlers
	// ("orders/inbox", "orders/worker").
	Rules []Rule
	// Queues and Handlers are names of queues and handlers declared in the
	// service account.
	Queues   []string
	Handlers []string
}

// ReferenceAccountID is the id Reference gives the i-th account: 0 is the
// bus account, 1..n the service accounts.
func ReferenceAccountID(i int) string { return fmt.Sprintf("%012d", 100000000000+i) }

// Reference builds the reference single-bus, multi-account backbone
// (DESIGN.md) with n service accounts:
//
//   - account "bus" (ReferenceAccountID(0)) owns bus "bus/global", whose
//     policy has one statement per service account ("allow-<service>")
//     allowing it to PutEvents;
//   - each service account owns bus "<service>/local", whose policy allows
//     the bus account ("from-global") so that the global bus can forward;
//   - "bus/global" has, per service account, a rule "to-<service>" with
//     pattern {"account":[{"anything-but":"<service id>"}]} and one target
//     (id "local") forwarding to "<service>/local" with role
//     "eventbridge-to-<service>": every event fans out to every local bus
//     except its sender's;
//   - every bus has rule "catch-all" {"source":[{"prefix":""}]} with one
//     log target (id "log", log group "busdrill-<account>-<bus>");
//   - each service's local bus also gets the service's own Rules, and the
//     account its Queues and Handlers.
//
// services gives the service accounts in order; when fewer than n are
// given the rest are named "service-<i>" (1-based). Service ids default to
// ReferenceAccountID(i). Every account belongs to organization
// "o-busdrill". The region is DefaultRegion.
func Reference(n int, services ...Service) *Topology {
	svcs := make([]Service, n)
	copy(svcs, services)
	for i := range svcs {
		if svcs[i].Name == "" {
			svcs[i].Name = fmt.Sprintf("service-%d", i+1)
		}
		if svcs[i].ID == "" {
			svcs[i].ID = ReferenceAccountID(i + 1)
		}
	}
	t := &Topology{Region: DefaultRegion}
	t.Accounts = append(t.Accounts, Account{Name: RefBusAccount, ID: ReferenceAccountID(0), OrgID: RefOrgID})
	global := Bus{Account: RefBusAccount, Name: RefGlobalBus}
	for _, s := range svcs {
		t.Accounts = append(t.Accounts, Account{Name: s.Name, ID: s.ID, OrgID: RefOrgID})
		global.Policy = append(global.Policy, Statement{Sid: "allow-" + s.Name, Principal: s.Name, Action: ActionPutEvents})
		global.Rules = append(global.Rules, Rule{
			Name:        "to-" + s.Name,
			Pattern:     fmt.Sprintf(`{"account":[{"anything-but":%q}]}`, s.ID),
			State:       Enabled,
			Description: "fan out to " + s.Name + " (every account but its own)",
			Targets: []Target{{
				ID: "local", Kind: KindBus, Bus: s.Name + "/" + RefLocalBus, Role: "eventbridge-to-" + s.Name,
			}},
		})
	}
	global.Rules = append(global.Rules, catchAll(RefBusAccount, RefGlobalBus))
	t.Buses = append(t.Buses, global)
	for _, s := range svcs {
		local := Bus{
			Account: s.Name, Name: RefLocalBus,
			Policy: []Statement{{Sid: "from-global", Principal: RefBusAccount, Action: ActionPutEvents}},
		}
		local.Rules = append(local.Rules, catchAll(s.Name, RefLocalBus))
		local.Rules = append(local.Rules, s.Rules...)
		t.Buses = append(t.Buses, local)
		for _, q := range s.Queues {
			t.Queues = append(t.Queues, Queue{Account: s.Name, Name: q})
		}
		for _, h := range s.Handlers {
			t.Handlers = append(t.Handlers, Handler{Account: s.Name, Name: h})
		}
	}
	return t
}

func catchAll(account, bus string) Rule {
	return Rule{
		Name: RefCatchAllRule, Pattern: RefCatchAllPattern, State: Enabled,
		Description: "every event to the log (observability)",
		Targets:     []Target{{ID: RefLogTarget, Kind: KindLog, Log: "busdrill-" + account + "-" + bus}},
	}
}
