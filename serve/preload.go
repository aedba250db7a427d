package serve

import (
	"maps"
	"slices"
	"time"

	"github.com/busdrill/busdrill/sim/backbone"
	"github.com/busdrill/busdrill/sim/world"
	"github.com/busdrill/busdrill/topology"
)

// preload builds the backend: an empty backbone, or a scenario's as
// `busdrill aws deploy-fixture` would deploy it, and more (serve is the
// service, so it keeps what a fixture cannot): every bus of every
// account (and each account's default bus), the bus policies, every rule
// in its configured state with all its targets (bus targets with their
// roles, queue and log targets, and the services' Lambda-like handler
// targets), the queues and DLQs as SQS queues, and the archives. The
// scenario's model section applies (quotas, latencies, retries, lag), its
// seed derives the random streams.
func preload(opts *Options, start time.Time) (*backend, error) {
	sc := opts.Scenario
	if sc == nil {
		if opts.Region == "" {
			opts.Region = topology.DefaultRegion
		}
		p := backbone.DefaultParams()
		p.Seed = opts.Seed
		b, err := newBackend(opts, nil, p, start)
		if err != nil {
			return nil, err
		}
		b.faults = newFaultSchedule(b, opts)
		return b, nil
	}
	t := sc.Topology
	if opts.Region == "" {
		opts.Region = t.RegionOrDefault()
	}
	params := world.ParamsFor(sc)
	if opts.SeedSet {
		params.Seed = opts.Seed
	}
	var si *standIns
	if opts.StandIns {
		var err error
		if si, err = newStandIns(sc, &params); err != nil {
			return nil, err
		}
	}
	b, err := newBackend(opts, t, params, start)
	if err != nil {
		return nil, err
	}
	if si != nil {
		si.b = b
		b.standIns = si
	}
	e := b.events
	for _, tb := range t.Buses {
		a := e.accounts[accountIDOf(t, tb.Account)]
		bus := a.buses[tb.Name]
		if bus == nil {
			bus = e.addBus(a, tb.Name, "")
		}
		for _, st := range tb.Policy {
			bus.policy = append(bus.policy, preloadStatement(t, st, bus.arn))
		}
		for _, r := range tb.Rules {
			state := stateEnabled
			if !r.IsEnabled() {
				state = stateDisabled
			}
			p, _ := compilePattern(r.Pattern)
			er := &ebRule{Name: r.Name, Arn: ruleARN(b.region, a.id, tb.Name, r.Name), EventPattern: r.Pattern, State: state,
				Description: r.Description, EventBusName: tb.Name, CreatedBy: a.id, compiled: p}
			for _, tg := range r.Targets {
				er.targets = append(er.targets, &ebTarget{apiTarget: preloadTarget(t, b.region, a.id, tg), kind: tg.Kind,
					consumer: tb.Account + "/" + tb.Name + "/" + r.Name + "/" + tg.ID})
			}
			bus.rules[r.Name] = er
		}
	}
	queues := map[string]bool{}
	for _, q := range t.Queues {
		queues[q.Ref()] = true
	}
	for _, ref := range slices.Sorted(maps.Keys(queues)) {
		acct, name, _ := topology.SplitRef(ref)
		id := accountIDOf(t, acct)
		q := &queue{name: name, account: id, ref: ref, arn: topology.QueueARN(b.region, id, name),
			attrs: map[string]string{}, tags: map[string]string{}, handles: map[string]*message{}, created: start}
		b.queues.applyAttributes(q)
		b.queues.byRef[ref] = q
	}
	for _, ar := range t.Archives {
		bus := e.accounts[accountIDOf(t, busAccount(ar.Bus))].buses[busName(ar.Bus)]
		a := e.accounts[accountIDOf(t, busAccount(ar.Bus))]
		a.archives[ar.Name] = &ebArchive{name: ar.Name, arn: archiveARN(b.region, a.id, ar.Name), source: bus.arn,
			pattern: ar.Pattern, state: "ENABLED", retention: ar.RetentionDays, created: start, model: ar.Name, bus: ar.Bus}
	}
	b.faults = newFaultSchedule(b, opts)
	return b, nil
}

func busAccount(ref string) string { a, _, _ := topology.SplitRef(ref); return a }
func busName(ref string) string    { _, n, _ := topology.SplitRef(ref); return n }

func accountIDOf(t *topology.Topology, name string) string {
	for _, a := range t.Accounts {
		if a.Name == name || a.ID == name {
			return a.ID
		}
	}
	return name
}

// preloadStatement is a topology statement as a policy statement.
func preloadStatement(t *topology.Topology, st topology.Statement, busARN string) policyStatement {
	principal := st.Principal
	if principal != "*" {
		principal = accountIDOf(t, principal)
	}
	var cond *apiCondition
	if st.OrgID != "" {
		cond = &apiCondition{Type: "StringEquals", Key: "aws:PrincipalOrgID", Value: st.OrgID}
	}
	return permissionStatement(st.Sid, topology.ActionPutEvents, principal, busARN, cond)
}

// preloadTarget is a topology target as PutTargets would have given it.
func preloadTarget(t *topology.Topology, region, account string, tg topology.Target) apiTarget {
	at := apiTarget{Id: tg.ID}
	switch tg.Kind {
	case topology.KindBus:
		at.Arn = topology.BusARN(region, accountIDOf(t, busAccount(tg.Bus)), busName(tg.Bus))
		if tg.Role != "" {
			at.RoleArn = topology.RoleARN(account, tg.Role)
		}
	case topology.KindQueue:
		at.Arn = topology.QueueARN(region, accountIDOf(t, busAccount(tg.Queue)), busName(tg.Queue))
	case topology.KindLog:
		at.Arn = topology.LogARN(region, account, tg.Log)
	case topology.KindHandler:
		at.Arn = topology.FunctionARN(region, accountIDOf(t, busAccount(tg.Handler)), busName(tg.Handler))
	}
	if tg.DLQ != "" {
		at.DeadLetterConfig = &apiDeadLetterConfig{Arn: topology.QueueARN(region, accountIDOf(t, busAccount(tg.DLQ)), busName(tg.DLQ))}
	}
	if tg.Retry.MaximumRetryAttempts != nil || tg.Retry.MaximumEventAgeInSeconds != nil {
		at.RetryPolicy = &apiRetryPolicy{MaximumRetryAttempts: tg.Retry.MaximumRetryAttempts, MaximumEventAgeInSeconds: tg.Retry.MaximumEventAgeInSeconds}
	}
	return at
}
