package provision

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strconv"

	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/scenarios/livespec"
	"github.com/busdrill/busdrill/topology"
)

// Names and tags of what busdrill creates.
const (
	// NamePrefix starts the name of every rule and queue busdrill creates.
	NamePrefix = "busdrill-"
	// ProbeRule and ProbeTarget name the probe rule and its target in the
	// ledger ("orders/local/busdrill-probe/probe"), whatever the deployed
	// rule is called, so that runs compare.
	ProbeRule   = "busdrill-probe"
	ProbeTarget = "probe"
	// TagManaged marks everything busdrill creates; teardown removes only
	// what carries it.
	TagManaged = "busdrill:managed"
	// TagRunID is the run that created the resource; TagShard its shard.
	TagRunID = "busdrill:run-id"
	TagShard = "busdrill:shard"
)

// Account is a scenario account as deployed.
type Account struct {
	Name string // scenario name
	ID   string // real account id
}

// Bus is a scenario bus as deployed.
type Bus struct {
	Ref     string // scenario reference, "orders/local"
	Account string // scenario account name
	ID      string // real account id
	Name    string // deployed name
	ARN     string
}

// Probe is one observer: a queue fed by a rule on a bus, matching every
// event of this run.
type Probe struct {
	Bus      Bus
	Rule     string // deployed rule name
	RuleARN  string
	Queue    string // queue name
	QueueARN string
	// Consumer is the ledger's consumer reference,
	// "<account>/<bus>/busdrill-probe/probe".
	Consumer string
	Pattern  string
}

// DLQ is a dead-letter queue read at the end of a run.
type DLQ struct {
	Ref      string // "account/queue"
	Account  string
	ID       string
	Name     string
	ARN      string
	Consumer string // the target it belongs to, "account/bus/rule/target" ("" if only configured)
}

// Layout is everything a live run of a scenario touches, derived without
// any call from the scenario, the live configuration and the run id.
type Layout struct {
	RunID    string
	Region   string
	Shard    loadgen.Shard
	Accounts []Account // sorted by name
	Buses    []Bus     // every scenario bus, as deployed
	Probes   []Probe
	DLQs     []DLQ
	// Tags are put on everything busdrill creates.
	Tags map[string]string
	// Topology is the scenario's topology with each probe added as a rule
	// and queue (in the scenario's account ids): its Router gives a live
	// run's expected routes.
	Topology *topology.Topology
	// Senders are the accounts that publish (origins and emitting
	// services), sorted.
	Senders []string
}

// NewLayout computes the layout of a live run. It checks the
// configuration against the scenario (including the allowlist) first.
func NewLayout(sc *scenarios.Scenario, cfg *livespec.Config, runID string, shard loadgen.Shard) (*Layout, error) {
	if err := cfg.CheckScenario(sc.Topology); err != nil {
		return nil, err
	}
	if runID == "" {
		return nil, fmt.Errorf("provision: a run id is required")
	}
	l := &Layout{RunID: runID, Region: cfg.Region, Shard: shard}
	for _, a := range sc.Topology.Accounts {
		l.Accounts = append(l.Accounts, Account{Name: a.Name, ID: cfg.Accounts[a.Name].ID})
	}
	sort.Slice(l.Accounts, func(i, j int) bool { return l.Accounts[i].Name < l.Accounts[j].Name })
	l.Tags = map[string]string{}
	for k, v := range cfg.Tags {
		l.Tags[k] = v
	}
	l.Tags[TagManaged] = "true"
	l.Tags[TagRunID] = runID
	l.Tags[TagShard] = shard.String()

	for _, b := range sc.Topology.Buses {
		l.Buses = append(l.Buses, l.deployedBus(cfg, b.Ref()))
	}
	// A probe on every bus by default: the run then sees every event
	// reach every bus (where it completes a journey, as the simulator
	// does, and where a fault of its own cut a route).
	probeBuses := cfg.Probes.Buses
	if len(probeBuses) == 0 {
		for _, b := range sc.Topology.Buses {
			probeBuses = append(probeBuses, b.Ref())
		}
	}
	sort.Strings(probeBuses)
	suffix := shortID(runID, shard)
	t := cloneTopology(sc.Topology)
	pattern := fmt.Sprintf(`{"detail":{"metadata":{"run_id":[%s]}}}`, strconv.Quote(runID))
	for _, ref := range probeBuses {
		bi := slices.IndexFunc(t.Buses, func(b topology.Bus) bool { return b.Ref() == ref })
		if bi < 0 {
			return nil, fmt.Errorf("probe bus %q is not a bus of the scenario", ref)
		}
		bus := l.Bus(ref)
		ruleName := NamePrefix + "probe-" + suffix
		queue := trim(NamePrefix+suffix+"-"+bus.Account+"-"+bus.Name, 80)
		p := Probe{
			Bus:      bus,
			Rule:     ruleName,
			RuleARN:  topology.RuleARN(l.Region, bus.ID, bus.Name, ruleName),
			Queue:    queue,
			QueueARN: topology.QueueARN(l.Region, bus.ID, queue),
			Consumer: ref + "/" + ProbeRule + "/" + ProbeTarget,
			Pattern:  pattern,
		}
		l.Probes = append(l.Probes, p)
		qname := ProbeRule + "-" + t.Buses[bi].Name
		t.Queues = append(t.Queues, topology.Queue{Account: t.Buses[bi].Account, Name: qname})
		t.Buses[bi].Rules = append(t.Buses[bi].Rules, topology.Rule{
			Name: ProbeRule, Pattern: pattern, State: topology.Enabled,
			Targets: []topology.Target{{ID: ProbeTarget, Kind: topology.KindQueue, Queue: t.Buses[bi].Account + "/" + qname}},
		})
	}
	l.Topology = t

	// DLQs: those the scenario's targets name, and configured extras.
	seen := map[string]bool{}
	for _, b := range sc.Topology.Buses {
		for _, r := range b.Rules {
			for _, tg := range r.Targets {
				if tg.DLQ != "" && !seen[tg.DLQ] {
					seen[tg.DLQ] = true
					l.DLQs = append(l.DLQs, l.dlq(cfg, tg.DLQ, topology.TargetRef(&b, &r, &tg)))
				}
			}
		}
	}
	for _, ref := range cfg.DLQs {
		if !seen[ref] {
			seen[ref] = true
			l.DLQs = append(l.DLQs, l.dlq(cfg, ref, ""))
		}
	}
	senders := map[string]bool{}
	for _, o := range sc.Traffic.Origins {
		senders[o.Account] = true
	}
	for _, s := range sc.Services {
		if s.Emit != "" {
			senders[s.Account] = true
		}
	}
	for s := range senders {
		l.Senders = append(l.Senders, s)
	}
	sort.Strings(l.Senders)
	return l, nil
}

func (l *Layout) deployedBus(cfg *livespec.Config, ref string) Bus {
	acct, name, _ := topology.SplitRef(ref)
	id := cfg.Accounts[acct].ID
	b := Bus{Ref: ref, Account: acct, ID: id, Name: name}
	if o := cfg.Buses[ref]; o != "" {
		if oid, oname, ok := topology.ParseBusARN(o); ok {
			b.ID, b.Name = oid, oname
		} else {
			b.Name = o
		}
	}
	b.ARN = topology.BusARN(l.Region, b.ID, b.Name)
	return b
}

func (l *Layout) dlq(cfg *livespec.Config, ref, consumer string) DLQ {
	acct, name, _ := topology.SplitRef(ref)
	id := cfg.Accounts[acct].ID
	return DLQ{Ref: ref, Account: acct, ID: id, Name: name, ARN: topology.QueueARN(l.Region, id, name), Consumer: consumer}
}

// Bus returns the deployed bus of a scenario bus reference.
func (l *Layout) Bus(ref string) Bus {
	for _, b := range l.Buses {
		if b.Ref == ref {
			return b
		}
	}
	return Bus{}
}

// AccountID returns the real id of a scenario account.
func (l *Layout) AccountID(name string) string {
	for _, a := range l.Accounts {
		if a.Name == name {
			return a.ID
		}
	}
	return ""
}

// PutName is how account sender names bus (a scenario reference) in a
// PutEvents entry: the deployed name for its own bus, the ARN otherwise.
func (l *Layout) PutName(sender, ref string) string {
	b := l.Bus(ref)
	if b.Account == sender && b.ID == l.AccountID(sender) {
		return b.Name
	}
	return b.ARN
}

// shortID is a short, stable id of a run and shard for resource names.
func shortID(runID string, shard loadgen.Shard) string {
	h := sha256.Sum256([]byte(runID + "|" + shard.String()))
	return hex.EncodeToString(h[:5])
}

func trim(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// cloneTopology copies t deeply enough to add rules and queues.
func cloneTopology(t *topology.Topology) *topology.Topology {
	c := *t
	c.Accounts = slices.Clone(t.Accounts)
	c.Queues = slices.Clone(t.Queues)
	c.Handlers = slices.Clone(t.Handlers)
	c.Buses = make([]topology.Bus, len(t.Buses))
	for i, b := range t.Buses {
		b.Rules = slices.Clone(b.Rules)
		b.Policy = slices.Clone(b.Policy)
		c.Buses[i] = b
	}
	return &c
}
