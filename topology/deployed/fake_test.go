package deployed

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/busdrill/busdrill/topology"
)

// fakeAWS answers the Reader's calls from a topology, describing it the
// way EventBridge and SQS would: ARNs for targets, role ARNs, a policy
// document with one statement per PutPermission, a default bus in every
// account. It records every call.
type fakeAWS struct {
	region  string
	buses   map[string][]EventBus // by account name
	rules   map[string][]Rule     // by "account/bus"
	targets map[string][]Target   // by "account/bus/rule"
	queues  map[string]Queue      // by "account/queue"
	calls   []string
	// fail makes the call whose "account op" it names fail.
	fail string
}

func fakeFrom(t *topology.Topology) *fakeAWS {
	f := &fakeAWS{region: t.RegionOrDefault(), buses: map[string][]EventBus{}, rules: map[string][]Rule{},
		targets: map[string][]Target{}, queues: map[string]Queue{}}
	x := topology.NewIndex(t)
	id := func(name string) string {
		i, _ := x.Account(name)
		return t.Accounts[i].ID
	}
	for _, a := range t.Accounts {
		f.buses[a.Name] = append(f.buses[a.Name], EventBus{Name: "default", ARN: topology.BusARN(f.region, a.ID, "default")})
	}
	for _, b := range t.Buses {
		bus := EventBus{Name: b.Name, ARN: topology.BusARN(f.region, id(b.Account), b.Name)}
		if len(b.Policy) > 0 {
			var sts []map[string]any
			for _, s := range b.Policy {
				st := map[string]any{"Sid": s.Sid, "Effect": "Allow", "Action": "events:PutEvents", "Resource": bus.ARN,
					"Principal": map[string]any{"AWS": "arn:aws:iam::" + id(s.Principal) + ":root"}}
				if s.OrgID != "" {
					st["Condition"] = map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": s.OrgID}}
				}
				sts = append(sts, st)
			}
			doc, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": sts})
			bus.Policy = string(doc)
		}
		if b.Name == "default" {
			f.buses[b.Account][0] = bus
		} else {
			f.buses[b.Account] = append(f.buses[b.Account], bus)
		}
		for _, r := range b.Rules {
			state := string(r.State)
			if state == "" {
				state = "ENABLED"
			}
			f.rules[b.Ref()] = append(f.rules[b.Ref()], Rule{Name: r.Name, ARN: topology.RuleARN(f.region, id(b.Account), b.Name, r.Name),
				EventBusName: b.Name, EventPattern: r.Pattern, State: state, Description: r.Description})
			for _, tg := range r.Targets {
				out := Target{ID: tg.ID, MaximumRetryAttempts: tg.Retry.MaximumRetryAttempts, MaximumEventAgeInSeconds: tg.Retry.MaximumEventAgeInSeconds}
				switch tg.Kind {
				case topology.KindBus:
					acct, name, _ := topology.SplitRef(tg.Bus)
					out.ARN = topology.BusARN(f.region, id(acct), name)
				case topology.KindQueue:
					acct, name, _ := topology.SplitRef(tg.Queue)
					out.ARN = topology.QueueARN(f.region, id(acct), name)
				case topology.KindLog:
					out.ARN = topology.LogARN(f.region, id(b.Account), tg.Log) + ":*"
				case topology.KindHandler:
					acct, name, _ := topology.SplitRef(tg.Handler)
					out.ARN = topology.FunctionARN(f.region, id(acct), name)
				}
				if tg.Role != "" {
					out.RoleARN = topology.RoleARN(id(b.Account), tg.Role)
				}
				if tg.DLQ != "" {
					acct, name, _ := topology.SplitRef(tg.DLQ)
					out.DeadLetterARN = topology.QueueARN(f.region, id(acct), name)
				}
				key := topology.RuleRef(&b, &r)
				f.targets[key] = append(f.targets[key], out)
			}
		}
	}
	for _, q := range t.Queues {
		f.queues[q.Ref()] = Queue{Exists: true, Messages: 0}
	}
	return f
}

func (f *fakeAWS) call(account, op string) error {
	f.calls = append(f.calls, account+" "+op)
	if f.fail == account+" "+op {
		return fmt.Errorf("AccessDeniedException: not authorized to perform %s", op)
	}
	return nil
}

func (f *fakeAWS) ListEventBuses(_ context.Context, account string) ([]EventBus, error) {
	if err := f.call(account, "events:ListEventBuses"); err != nil {
		return nil, err
	}
	var out []EventBus
	for _, b := range f.buses[account] {
		out = append(out, EventBus{Name: b.Name, ARN: b.ARN}) // the list does not carry policies
	}
	return out, nil
}

func (f *fakeAWS) DescribeEventBus(_ context.Context, account, bus string) (EventBus, error) {
	if err := f.call(account, "events:DescribeEventBus"); err != nil {
		return EventBus{}, err
	}
	for _, b := range f.buses[account] {
		if b.Name == bus {
			return b, nil
		}
	}
	return EventBus{}, fmt.Errorf("ResourceNotFoundException: Event bus %s does not exist.", bus)
}

func (f *fakeAWS) ListRules(_ context.Context, account, bus string) ([]Rule, error) {
	if err := f.call(account, "events:ListRules"); err != nil {
		return nil, err
	}
	return f.rules[account+"/"+bus], nil
}

func (f *fakeAWS) DescribeRule(_ context.Context, account, bus, rule string) (Rule, error) {
	if err := f.call(account, "events:DescribeRule"); err != nil {
		return Rule{}, err
	}
	for _, r := range f.rules[account+"/"+bus] {
		if r.Name == rule {
			return r, nil
		}
	}
	return Rule{}, fmt.Errorf("ResourceNotFoundException: Rule %s does not exist.", rule)
}

func (f *fakeAWS) ListTargetsByRule(_ context.Context, account, bus, rule string) ([]Target, error) {
	if err := f.call(account, "events:ListTargetsByRule"); err != nil {
		return nil, err
	}
	return f.targets[account+"/"+bus+"/"+rule], nil
}

func (f *fakeAWS) QueueAttributes(_ context.Context, account, queue string) (Queue, error) {
	if err := f.call(account, "sqs:GetQueueUrl"); err != nil {
		return Queue{}, err
	}
	q, ok := f.queues[account+"/"+queue]
	if !ok {
		return Queue{Exists: false, Messages: -1}, nil
	}
	if err := f.call(account, "sqs:GetQueueAttributes"); err != nil {
		return Queue{}, err
	}
	return q, nil
}

// ops are the operations the fake saw, without accounts.
func (f *fakeAWS) ops() map[string]bool {
	out := map[string]bool{}
	for _, c := range f.calls {
		out[c[strings.IndexByte(c, ' ')+1:]] = true
	}
	return out
}
