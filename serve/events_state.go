package serve

import (
	"sort"
	"strings"
	"time"

	"github.com/busdrill/busdrill/pattern"
	"github.com/busdrill/busdrill/topology"
)

// events is EventBridge's control-plane state as the APIs see it: what
// Describe and List answer at once. The data plane (the model) applies
// rule, target and policy changes ControlPlaneLag later, as AWS's
// eventually consistent control plane does.
type events struct {
	b            *backend
	accounts     map[string]*ebAccount // by account id
	accountOrder []string
	// tags by resource ARN (rules, buses, archives).
	tags map[string]map[string]string
}

type ebAccount struct {
	id, name string
	buses    map[string]*ebBus
	archives map[string]*ebArchive
	replays  map[string]*ebReplay
}

type ebBus struct {
	name, arn, ref string
	description    string
	created        time.Time
	modified       time.Time
	// policy is the resource policy's statements as given (nil: none).
	policy []policyStatement
	rules  map[string]*ebRule
}

type ebRule struct {
	Name, Arn, EventPattern, State, Description string
	ScheduleExpression, RoleArn, EventBusName   string
	ManagedBy, CreatedBy                        string
	compiled                                    *pattern.Pattern
	targets                                     []*ebTarget // in PutTargets order
}

// ebTarget is a target as PutTargets gave it, plus what serve made of it.
type ebTarget struct {
	apiTarget
	kind     topology.TargetKind
	consumer string // the model's target reference
}

type ebArchive struct {
	name, arn, source, description, pattern, state string
	retention                                      int
	created                                        time.Time
	model                                          string // the model's archive name
	bus                                            string // model bus reference
}

type ebReplay struct {
	name, arn, source, description string
	destination                    apiReplayDestination
	start, end, started            time.Time
	model                          string
}

func newEvents(b *backend) *events {
	return &events{b: b, accounts: map[string]*ebAccount{}, tags: map[string]map[string]string{}}
}

// ensureAccount creates the control-plane state of an account and its
// default bus.
func (e *events) ensureAccount(id, name string) *ebAccount {
	if a, ok := e.accounts[id]; ok {
		return a
	}
	a := &ebAccount{id: id, name: name, buses: map[string]*ebBus{}, archives: map[string]*ebArchive{}, replays: map[string]*ebReplay{}}
	e.accounts[id] = a
	e.accountOrder = append(e.accountOrder, id)
	sort.Strings(e.accountOrder)
	if !e.b.model.HasBus(name + "/default") {
		e.b.model.CreateBus(name + "/default")
	}
	e.addBus(a, "default", "")
	return a
}

func (e *events) addBus(a *ebAccount, name, description string) *ebBus {
	now := e.b.wall()
	bus := &ebBus{name: name, arn: topology.BusARN(e.b.region, a.id, name), ref: a.name + "/" + name,
		description: description, created: now, modified: now, rules: map[string]*ebRule{}}
	a.buses[name] = bus
	return bus
}

// acct returns the caller's account state.
func (e *events) acct(id string) *ebAccount {
	e.b.account(id)
	return e.accounts[id]
}

// resolveBus finds the bus an EventBusName names for a caller: "" is
// default, a name is the caller's, an ARN must be in the caller's
// account (managing another account's bus is not modelled: AccessDenied).
func (e *events) resolveBus(caller, name string) (*ebAccount, *ebBus, *apiError) {
	a := e.acct(caller)
	if name == "" {
		name = "default"
	}
	if strings.HasPrefix(name, "arn:") {
		id, n, ok := topology.ParseBusARN(name)
		if !ok {
			return a, nil, validationf("Parameter EventBusName is not valid. Reason: %s is not a valid event bus ARN.", name)
		}
		if id != caller {
			return a, nil, errAccessDenied("User: arn:aws:iam::" + caller + ":root is not authorized to manage " + name + ".")
		}
		name = n
	}
	bus, ok := a.buses[name]
	if !ok {
		return a, nil, notFound("Event bus " + name + " does not exist.")
	}
	return a, bus, nil
}

// ruleARN is the rule ARN AWS writes: rule/NAME on the default bus,
// rule/BUS/NAME on a custom bus.
func ruleARN(region, account, bus, rule string) string {
	if bus == "default" {
		return "arn:aws:events:" + region + ":" + account + ":rule/" + rule
	}
	return topology.RuleARN(region, account, bus, rule)
}

// targetByConsumer finds a target by the model's reference
// "account/bus/rule/id".
func (e *events) targetByConsumer(ref string) *ebTarget {
	parts := strings.SplitN(ref, "/", 4)
	if len(parts) != 4 {
		return nil
	}
	for _, id := range e.accountOrder {
		a := e.accounts[id]
		if a.name != parts[0] {
			continue
		}
		bus := a.buses[parts[1]]
		if bus == nil {
			return nil
		}
		r := bus.rules[parts[2]]
		if r == nil {
			return nil
		}
		for _, t := range r.targets {
			if t.Id == parts[3] {
				return t
			}
		}
	}
	return nil
}
