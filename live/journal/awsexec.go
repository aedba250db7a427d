package journal

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"

	"github.com/busdrill/busdrill/live/redact"
)

// EventBridgeAPI is the part of *eventbridge.Client the AWS executor uses.
type EventBridgeAPI interface {
	DescribeRule(context.Context, *eventbridge.DescribeRuleInput, ...func(*eventbridge.Options)) (*eventbridge.DescribeRuleOutput, error)
	EnableRule(context.Context, *eventbridge.EnableRuleInput, ...func(*eventbridge.Options)) (*eventbridge.EnableRuleOutput, error)
	DisableRule(context.Context, *eventbridge.DisableRuleInput, ...func(*eventbridge.Options)) (*eventbridge.DisableRuleOutput, error)
	DeleteRule(context.Context, *eventbridge.DeleteRuleInput, ...func(*eventbridge.Options)) (*eventbridge.DeleteRuleOutput, error)
	ListTargetsByRule(context.Context, *eventbridge.ListTargetsByRuleInput, ...func(*eventbridge.Options)) (*eventbridge.ListTargetsByRuleOutput, error)
	RemoveTargets(context.Context, *eventbridge.RemoveTargetsInput, ...func(*eventbridge.Options)) (*eventbridge.RemoveTargetsOutput, error)
	DescribeEventBus(context.Context, *eventbridge.DescribeEventBusInput, ...func(*eventbridge.Options)) (*eventbridge.DescribeEventBusOutput, error)
	PutPermission(context.Context, *eventbridge.PutPermissionInput, ...func(*eventbridge.Options)) (*eventbridge.PutPermissionOutput, error)
	RemovePermission(context.Context, *eventbridge.RemovePermissionInput, ...func(*eventbridge.Options)) (*eventbridge.RemovePermissionOutput, error)
	DeleteEventBus(context.Context, *eventbridge.DeleteEventBusInput, ...func(*eventbridge.Options)) (*eventbridge.DeleteEventBusOutput, error)
}

// SQSAPI is the part of *sqs.Client the AWS executor uses.
type SQSAPI interface {
	DeleteQueue(context.Context, *sqs.DeleteQueueInput, ...func(*sqs.Options)) (*sqs.DeleteQueueOutput, error)
	GetQueueUrl(context.Context, *sqs.GetQueueUrlInput, ...func(*sqs.Options)) (*sqs.GetQueueUrlOutput, error)
}

var (
	_ EventBridgeAPI = (*eventbridge.Client)(nil)
	_ SQSAPI         = (*sqs.Client)(nil)
)

// AccountClients are what the AWS executor needs for one account.
type AccountClients struct {
	AccountID   string // what the credentials belong to; checked against the record
	Region      string // the clients' region; checked against the record
	EventBridge EventBridgeAPI
	SQS         SQSAPI
}

// AWSExecutor executes inverses with the AWS SDK. Resolve maps a record's
// Account (the scenario account name) to clients; with live/awsclients:
//
//	x := journal.AWSExecutor{Resolve: func(name string) (journal.AccountClients, error) {
//		c, err := set.Account(name)
//		if err != nil {
//			return journal.AccountClients{}, err
//		}
//		return journal.AccountClients{AccountID: c.Account.ID, Region: c.Region,
//			EventBridge: c.EventBridge, SQS: c.SQS}, nil
//	}}
//
// It refuses a record whose AccountID or Region differs from the clients'.
// Every inverse first reads the current state, so running it again, or on
// a resource already back, is a no-op ([Unchanged]):
//
//   - EnableRule / DisableRule: DescribeRule; call only if the state differs.
//     A rule that no longer exists is an error (it cannot be put back).
//   - PutPermission (Policy): DescribeEventBus; if the policy is already
//     equal (as JSON, statements in any order) nothing is called. Otherwise
//     PutPermission with the whole prior policy, then DescribeEventBus again;
//     if the result still differs (an implementation that merges
//     statements instead of replacing the policy, as moto does),
//     RemovePermission(RemoveAllPermissions) and PutPermission again, and
//     verify. A bus that no longer exists is an error.
//   - RemovePermission (RemoveAllPermissions): only if the bus has a policy;
//     a missing bus counts as done.
//   - RemoveTargets: ListTargetsByRule; removes only the listed ids still
//     present; a missing rule or bus counts as done.
//   - DeleteRule: a missing rule counts as done; otherwise every remaining
//     target is removed first (the rule was created by busdrill, so its
//     targets are busdrill's) and the rule deleted.
//   - DeleteEventBus: a missing bus counts as done. Never the default bus.
//   - sqs:DeleteQueue: by QueueUrl, or by QueueName through GetQueueUrl;
//     QueueDoesNotExist counts as done.
type AWSExecutor struct {
	Resolve func(account string) (AccountClients, error)
}

// Execute implements [Executor].
func (x AWSExecutor) Execute(ctx context.Context, in Record) (Outcome, error) {
	out, err := x.execute(ctx, in)
	return out, redact.Error(err)
}

func (x AWSExecutor) execute(ctx context.Context, in Record) (Outcome, error) {
	if in.Inverse == nil {
		return "", errors.New("record has no inverse")
	}
	if err := in.Inverse.Validate(); err != nil {
		return "", err
	}
	c, err := x.Resolve(in.Account)
	if err != nil {
		return "", fmt.Errorf("account %q: %w", in.Account, err)
	}
	if in.AccountID != "" && c.AccountID != "" && in.AccountID != c.AccountID {
		return "", fmt.Errorf("account %q: journal says %s but the credentials are for %s; refusing", in.Account, in.AccountID, c.AccountID)
	}
	if in.Region != "" && c.Region != "" && in.Region != c.Region {
		return "", fmt.Errorf("account %q: journal says region %s but the clients are in %s; refusing", in.Account, in.Region, c.Region)
	}
	p := in.Inverse.Params
	eb := c.EventBridge
	switch in.Inverse.Action {
	case EnableRule:
		return setRuleState(ctx, eb, p, ebtypes.RuleStateEnabled)
	case DisableRule:
		return setRuleState(ctx, eb, p, ebtypes.RuleStateDisabled)
	case PutPermission:
		return putPolicy(ctx, eb, p)
	case RemovePermission:
		return removePolicy(ctx, eb, p)
	case RemoveTargets:
		return removeTargets(ctx, eb, p.EventBusName, p.Rule, p.Ids)
	case DeleteRule:
		return deleteRule(ctx, eb, p)
	case DeleteEventBus:
		return deleteBus(ctx, eb, p)
	case DeleteQueue:
		if c.SQS == nil {
			return "", errors.New("no SQS client")
		}
		url := p.QueueUrl
		if url == "" {
			out, err := c.SQS.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String(p.QueueName)})
			if isNotFound(err) {
				return Unchanged, nil
			}
			if err != nil {
				return "", err
			}
			url = aws.ToString(out.QueueUrl)
		}
		_, err := c.SQS.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: aws.String(url)})
		if isNotFound(err) {
			return Unchanged, nil
		}
		if err != nil {
			return "", err
		}
		return Changed, nil
	}
	return "", fmt.Errorf("unknown inverse action %q", in.Inverse.Action)
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

func setRuleState(ctx context.Context, eb EventBridgeAPI, p Params, want ebtypes.RuleState) (Outcome, error) {
	d, err := eb.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(p.Name), EventBusName: optString(p.EventBusName)})
	if err != nil {
		if isNotFound(err) {
			return "", fmt.Errorf("rule %s on bus %s no longer exists; it cannot be %s: %w", p.Name, busName(p.EventBusName), want, err)
		}
		return "", err
	}
	if d.State == want {
		return Unchanged, nil
	}
	if want == ebtypes.RuleStateEnabled {
		_, err = eb.EnableRule(ctx, &eventbridge.EnableRuleInput{Name: aws.String(p.Name), EventBusName: optString(p.EventBusName)})
	} else {
		_, err = eb.DisableRule(ctx, &eventbridge.DisableRuleInput{Name: aws.String(p.Name), EventBusName: optString(p.EventBusName)})
	}
	if err != nil {
		return "", err
	}
	return Changed, nil
}

func busName(s string) string {
	if s == "" {
		return "default"
	}
	return s
}

func currentPolicy(ctx context.Context, eb EventBridgeAPI, bus string) (*string, error) {
	d, err := eb.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{Name: optString(bus)})
	if err != nil {
		return nil, err
	}
	return d.Policy, nil
}

func putPolicy(ctx context.Context, eb EventBridgeAPI, p Params) (Outcome, error) {
	want := *p.Policy
	cur, err := currentPolicy(ctx, eb, p.EventBusName)
	if err != nil {
		return "", fmt.Errorf("bus %s: %w", busName(p.EventBusName), err)
	}
	if eq, err := PoliciesEqual(aws.ToString(cur), want); err != nil {
		return "", err
	} else if eq {
		return Unchanged, nil
	}
	put := func() error {
		_, err := eb.PutPermission(ctx, &eventbridge.PutPermissionInput{EventBusName: optString(p.EventBusName), Policy: aws.String(want)})
		return err
	}
	verify := func() (bool, error) {
		cur, err := currentPolicy(ctx, eb, p.EventBusName)
		if err != nil {
			return false, err
		}
		return PoliciesEqual(aws.ToString(cur), want)
	}
	if err := put(); err != nil {
		return "", err
	}
	if ok, err := verify(); err != nil || ok {
		return Changed, err
	}
	// The service merged rather than replaced: clear, then put again.
	if _, err := eb.RemovePermission(ctx, &eventbridge.RemovePermissionInput{
		EventBusName: optString(p.EventBusName), RemoveAllPermissions: true,
	}); err != nil && !isNotFound(err) {
		return "", err
	}
	if err := put(); err != nil {
		return "", err
	}
	ok, err := verify()
	if err != nil {
		return "", err
	}
	if !ok {
		return "", fmt.Errorf("bus %s: policy after restore still differs from the journaled one", busName(p.EventBusName))
	}
	return Changed, nil
}

func removePolicy(ctx context.Context, eb EventBridgeAPI, p Params) (Outcome, error) {
	cur, err := currentPolicy(ctx, eb, p.EventBusName)
	if isNotFound(err) {
		return Unchanged, nil
	}
	if err != nil {
		return "", err
	}
	if aws.ToString(cur) == "" {
		return Unchanged, nil
	}
	_, err = eb.RemovePermission(ctx, &eventbridge.RemovePermissionInput{EventBusName: optString(p.EventBusName), RemoveAllPermissions: true})
	if isNotFound(err) {
		return Unchanged, nil
	}
	if err != nil {
		return "", err
	}
	return Changed, nil
}

// ruleTargets lists the target ids of a rule; found is false when the rule
// or its bus does not exist.
func ruleTargets(ctx context.Context, eb EventBridgeAPI, bus, rule string) (ids []string, found bool, err error) {
	var next *string
	for {
		out, err := eb.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{
			Rule: aws.String(rule), EventBusName: optString(bus), NextToken: next,
		})
		if isNotFound(err) {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, err
		}
		for _, t := range out.Targets {
			ids = append(ids, aws.ToString(t.Id))
		}
		if aws.ToString(out.NextToken) == "" {
			return ids, true, nil
		}
		next = out.NextToken
	}
}

func removeTargets(ctx context.Context, eb EventBridgeAPI, bus, rule string, ids []string) (Outcome, error) {
	present, found, err := ruleTargets(ctx, eb, bus, rule)
	if err != nil || !found {
		return Unchanged, err
	}
	set := map[string]bool{}
	for _, id := range present {
		set[id] = true
	}
	var todo []string
	for _, id := range ids {
		if set[id] {
			todo = append(todo, id)
		}
	}
	if len(todo) == 0 {
		return Unchanged, nil
	}
	for len(todo) > 0 {
		n := min(len(todo), 100) // RemoveTargets takes at most 100 ids
		out, err := eb.RemoveTargets(ctx, &eventbridge.RemoveTargetsInput{
			Rule: aws.String(rule), EventBusName: optString(bus), Ids: todo[:n],
		})
		if isNotFound(err) {
			return Changed, nil
		}
		if err != nil {
			return "", err
		}
		if out.FailedEntryCount > 0 {
			var msgs []string
			for _, f := range out.FailedEntries {
				msgs = append(msgs, fmt.Sprintf("%s: %s %s", aws.ToString(f.TargetId), aws.ToString(f.ErrorCode), aws.ToString(f.ErrorMessage)))
			}
			return "", fmt.Errorf("RemoveTargets: %d failed: %v", out.FailedEntryCount, msgs)
		}
		todo = todo[n:]
	}
	return Changed, nil
}

func deleteRule(ctx context.Context, eb EventBridgeAPI, p Params) (Outcome, error) {
	_, err := eb.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(p.Name), EventBusName: optString(p.EventBusName)})
	if isNotFound(err) {
		return Unchanged, nil
	}
	if err != nil {
		return "", err
	}
	ids, found, err := ruleTargets(ctx, eb, p.EventBusName, p.Name)
	if err != nil {
		return "", err
	}
	if found && len(ids) > 0 {
		if _, err := removeTargets(ctx, eb, p.EventBusName, p.Name, ids); err != nil {
			return "", err
		}
	}
	_, err = eb.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String(p.Name), EventBusName: optString(p.EventBusName)})
	if err != nil && !isNotFound(err) {
		return "", err
	}
	return Changed, nil
}

func deleteBus(ctx context.Context, eb EventBridgeAPI, p Params) (Outcome, error) {
	_, err := eb.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{Name: aws.String(p.Name)})
	if isNotFound(err) {
		return Unchanged, nil
	}
	if err != nil {
		return "", err
	}
	if _, err := eb.DeleteEventBus(ctx, &eventbridge.DeleteEventBusInput{Name: aws.String(p.Name)}); err != nil && !isNotFound(err) {
		return "", err
	}
	return Changed, nil
}

// isNotFound reports whether err says the resource does not exist.
func isNotFound(err error) bool {
	if err == nil {
		return false
	}
	var rnf *ebtypes.ResourceNotFoundException
	var qdne *sqstypes.QueueDoesNotExist
	if errors.As(err, &rnf) || errors.As(err, &qdne) {
		return true
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "ResourceNotFoundException", "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue":
			return true
		}
	}
	return false
}
