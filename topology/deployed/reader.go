package deployed

import "context"

// Reader is the read-only calls a live import makes, each in one account
// of the import (named as the live section names it). An implementation
// pages through list calls itself and returns every item; live/awsread
// implements it with aws-sdk-go-v2, and the tests with a fake.
type Reader interface {
	// ListEventBuses is events:ListEventBuses: every bus of the account,
	// the default bus included.
	ListEventBuses(ctx context.Context, account string) ([]EventBus, error)
	// DescribeEventBus is events:DescribeEventBus: the bus with its
	// resource policy.
	DescribeEventBus(ctx context.Context, account, bus string) (EventBus, error)
	// ListRules is events:ListRules on one bus.
	ListRules(ctx context.Context, account, bus string) ([]Rule, error)
	// DescribeRule is events:DescribeRule: the rule as it is now.
	DescribeRule(ctx context.Context, account, bus, rule string) (Rule, error)
	// ListTargetsByRule is events:ListTargetsByRule.
	ListTargetsByRule(ctx context.Context, account, bus, rule string) ([]Target, error)
	// QueueAttributes is sqs:GetQueueUrl then sqs:GetQueueAttributes, in
	// the account that owns the queue; a queue that does not exist is
	// Queue{Exists: false}, not an error.
	QueueAttributes(ctx context.Context, account, queue string) (Queue, error)
}

// EventBus is what ListEventBuses and DescribeEventBus say of a bus.
type EventBus struct {
	Name, ARN string
	// Policy is the resource policy document (JSON); "" for none.
	Policy string
}

// Rule is what ListRules and DescribeRule say of a rule.
type Rule struct {
	Name, ARN, EventBusName string
	// EventPattern is the pattern's JSON text; "" for a scheduled rule.
	EventPattern       string
	State              string
	Description        string
	ScheduleExpression string
	// ManagedBy names the AWS service that manages the rule, if one does.
	ManagedBy string
}

// Target is what ListTargetsByRule says of a target.
type Target struct {
	ID, ARN, RoleARN string
	// DeadLetterARN is DeadLetterConfig.Arn; "" for none.
	DeadLetterARN string
	// The RetryPolicy; nil fields were not set.
	MaximumRetryAttempts, MaximumEventAgeInSeconds *int
	// InputKind is "Input", "InputPath" or "InputTransformer" when the
	// target transforms what it delivers ("" when it delivers the event).
	InputKind string
	// Parameters names the other target parameters set (EcsParameters,
	// SqsParameters, ...), which the model does not carry.
	Parameters []string
}

// Queue is what GetQueueAttributes says of a queue.
type Queue struct {
	Exists bool
	FIFO   bool
	// Messages is ApproximateNumberOfMessages (-1 when not reported).
	Messages int
}
