package awsread

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"

	"github.com/busdrill/busdrill/live/awsclients"
	"github.com/busdrill/busdrill/live/redact"
	"github.com/busdrill/busdrill/topology/deployed"
)

// maxPages bounds every paged list call: 100 pages of (at most) 100 items
// is far beyond the quotas (100 buses per account, 300 rules per bus, 5
// targets per rule), so a service that never stops paging cannot keep the
// import running.
const maxPages = 100

// ClientSource gives the clients of an account of the import by name;
// *awsclients.Set is one.
type ClientSource interface {
	Account(name string) (*awsclients.Clients, error)
}

// Reader is deployed.Reader over aws-sdk-go-v2: each call in the named
// account, with its credentials. It only reads.
type Reader struct {
	accts ClientSource
}

var _ deployed.Reader = (*Reader)(nil)

// New returns a Reader over the clients of accts.
func New(accts ClientSource) *Reader { return &Reader{accts: accts} }

func (r *Reader) eb(account string) (*eventbridge.Client, error) {
	c, err := r.accts.Account(account)
	if err != nil {
		return nil, err
	}
	return c.EventBridge, nil
}

// ListEventBuses pages through events:ListEventBuses.
func (r *Reader) ListEventBuses(ctx context.Context, account string) ([]deployed.EventBus, error) {
	eb, err := r.eb(account)
	if err != nil {
		return nil, err
	}
	var out []deployed.EventBus
	var token *string
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, fmt.Errorf("ListEventBuses: more than %d pages", maxPages)
		}
		res, err := eb.ListEventBuses(ctx, &eventbridge.ListEventBusesInput{NextToken: token})
		if err != nil {
			return nil, redact.Error(err)
		}
		for _, b := range res.EventBuses {
			out = append(out, deployed.EventBus{Name: aws.ToString(b.Name), ARN: aws.ToString(b.Arn), Policy: aws.ToString(b.Policy)})
		}
		if token = res.NextToken; aws.ToString(token) == "" {
			return out, nil
		}
	}
}

// DescribeEventBus is events:DescribeEventBus.
func (r *Reader) DescribeEventBus(ctx context.Context, account, bus string) (deployed.EventBus, error) {
	eb, err := r.eb(account)
	if err != nil {
		return deployed.EventBus{}, err
	}
	res, err := eb.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{Name: aws.String(bus)})
	if err != nil {
		return deployed.EventBus{}, redact.Error(err)
	}
	return deployed.EventBus{Name: aws.ToString(res.Name), ARN: aws.ToString(res.Arn), Policy: aws.ToString(res.Policy)}, nil
}

// ListRules pages through events:ListRules on one bus.
func (r *Reader) ListRules(ctx context.Context, account, bus string) ([]deployed.Rule, error) {
	eb, err := r.eb(account)
	if err != nil {
		return nil, err
	}
	var out []deployed.Rule
	var token *string
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, fmt.Errorf("ListRules: more than %d pages", maxPages)
		}
		res, err := eb.ListRules(ctx, &eventbridge.ListRulesInput{EventBusName: aws.String(bus), NextToken: token})
		if err != nil {
			return nil, redact.Error(err)
		}
		for _, rl := range res.Rules {
			out = append(out, ruleOf(aws.ToString(rl.Name), aws.ToString(rl.Arn), aws.ToString(rl.EventBusName), aws.ToString(rl.EventPattern),
				rl.State, aws.ToString(rl.Description), aws.ToString(rl.ScheduleExpression), aws.ToString(rl.ManagedBy)))
		}
		if token = res.NextToken; aws.ToString(token) == "" {
			return out, nil
		}
	}
}

func ruleOf(name, arn, bus, pattern string, state ebtypes.RuleState, desc, sched, managed string) deployed.Rule {
	return deployed.Rule{Name: name, ARN: arn, EventBusName: bus, EventPattern: pattern, State: string(state),
		Description: desc, ScheduleExpression: sched, ManagedBy: managed}
}

// DescribeRule is events:DescribeRule.
func (r *Reader) DescribeRule(ctx context.Context, account, bus, rule string) (deployed.Rule, error) {
	eb, err := r.eb(account)
	if err != nil {
		return deployed.Rule{}, err
	}
	res, err := eb.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(rule), EventBusName: aws.String(bus)})
	if err != nil {
		return deployed.Rule{}, redact.Error(err)
	}
	return ruleOf(aws.ToString(res.Name), aws.ToString(res.Arn), aws.ToString(res.EventBusName), aws.ToString(res.EventPattern),
		res.State, aws.ToString(res.Description), aws.ToString(res.ScheduleExpression), aws.ToString(res.ManagedBy)), nil
}

// ListTargetsByRule pages through events:ListTargetsByRule.
func (r *Reader) ListTargetsByRule(ctx context.Context, account, bus, rule string) ([]deployed.Target, error) {
	eb, err := r.eb(account)
	if err != nil {
		return nil, err
	}
	var out []deployed.Target
	var token *string
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, fmt.Errorf("ListTargetsByRule: more than %d pages", maxPages)
		}
		res, err := eb.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String(rule), EventBusName: aws.String(bus), NextToken: token})
		if err != nil {
			return nil, redact.Error(err)
		}
		for _, t := range res.Targets {
			out = append(out, targetOf(t))
		}
		if token = res.NextToken; aws.ToString(token) == "" {
			return out, nil
		}
	}
}

// targetOf converts an SDK target, naming the parameters the model does
// not carry.
func targetOf(t ebtypes.Target) deployed.Target {
	out := deployed.Target{ID: aws.ToString(t.Id), ARN: aws.ToString(t.Arn), RoleARN: aws.ToString(t.RoleArn)}
	if t.DeadLetterConfig != nil {
		out.DeadLetterARN = aws.ToString(t.DeadLetterConfig.Arn)
	}
	if p := t.RetryPolicy; p != nil {
		out.MaximumRetryAttempts = intOf(p.MaximumRetryAttempts)
		out.MaximumEventAgeInSeconds = intOf(p.MaximumEventAgeInSeconds)
	}
	switch {
	case t.InputTransformer != nil:
		out.InputKind = "InputTransformer"
	case t.InputPath != nil:
		out.InputKind = "InputPath"
	case t.Input != nil:
		out.InputKind = "Input"
	}
	for _, p := range []struct {
		name string
		set  bool
	}{
		{"AppSyncParameters", t.AppSyncParameters != nil}, {"BatchParameters", t.BatchParameters != nil},
		{"EcsParameters", t.EcsParameters != nil}, {"HttpParameters", t.HttpParameters != nil},
		{"KinesisParameters", t.KinesisParameters != nil}, {"RedshiftDataParameters", t.RedshiftDataParameters != nil},
		{"RunCommandParameters", t.RunCommandParameters != nil}, {"SageMakerPipelineParameters", t.SageMakerPipelineParameters != nil},
		{"SqsParameters", t.SqsParameters != nil},
	} {
		if p.set {
			out.Parameters = append(out.Parameters, p.name)
		}
	}
	return out
}

func intOf(v *int32) *int {
	if v == nil {
		return nil
	}
	n := int(*v)
	return &n
}

// QueueAttributes is sqs:GetQueueUrl then sqs:GetQueueAttributes in the
// queue's account.
func (r *Reader) QueueAttributes(ctx context.Context, account, queue string) (deployed.Queue, error) {
	c, err := r.accts.Account(account)
	if err != nil {
		return deployed.Queue{}, err
	}
	u, err := c.SQS.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String(queue)})
	if isNotExist(err) {
		return deployed.Queue{Exists: false, Messages: -1}, nil
	}
	if err != nil {
		return deployed.Queue{}, redact.Error(err)
	}
	res, err := c.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: u.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{
		sqstypes.QueueAttributeNameQueueArn, sqstypes.QueueAttributeNameFifoQueue, sqstypes.QueueAttributeNameApproximateNumberOfMessages,
	}})
	if isNotExist(err) {
		return deployed.Queue{Exists: false, Messages: -1}, nil
	}
	if err != nil {
		return deployed.Queue{}, redact.Error(err)
	}
	q := deployed.Queue{Exists: true, FIFO: res.Attributes["FifoQueue"] == "true", Messages: -1}
	if n, err := strconv.Atoi(res.Attributes["ApproximateNumberOfMessages"]); err == nil {
		q.Messages = n
	}
	return q, nil
}

// isNotExist reports SQS's answer for a queue that does not exist, in
// its JSON (QueueDoesNotExist) and query (AWS.SimpleQueueService.
// NonExistentQueue) spellings.
func isNotExist(err error) bool {
	if err == nil {
		return false
	}
	var qdne *sqstypes.QueueDoesNotExist
	if errors.As(err, &qdne) {
		return true
	}
	var api smithy.APIError
	return errors.As(err, &api) && (api.ErrorCode() == "AWS.SimpleQueueService.NonExistentQueue" || api.ErrorCode() == "QueueDoesNotExist")
}
