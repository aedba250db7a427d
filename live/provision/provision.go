package provision

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"

	"github.com/busdrill/busdrill/live/awsclients"
	"github.com/busdrill/busdrill/live/journal"
	"github.com/busdrill/busdrill/live/redact"
)

// Accounts resolves a scenario account name to its clients;
// *awsclients.Set implements it.
type Accounts interface {
	Account(name string) (*awsclients.Clients, error)
}

// Provisioned is what Provision created: the probe queue URLs, in the
// order of Layout.Probes.
type Provisioned struct {
	QueueURLs []string
}

// Provision creates the probes of the layout: per probe, a tagged queue
// whose policy lets the probe rule send to it, and a tagged rule on the
// bus with the queue as its target. Every creation is journaled (with its
// inverse) before it is made, so 'busdrill aws restore' or teardown undoes
// even a provision that crashed half-way. Creating what exists already
// (a re-run with the same run id) is not an error.
func Provision(ctx context.Context, accts Accounts, j *journal.Journal, l *Layout) (*Provisioned, error) {
	out := &Provisioned{}
	for _, p := range l.Probes {
		c, err := accts.Account(p.Bus.Account)
		if err != nil {
			return out, err
		}
		url, err := provisionProbe(ctx, c, j, l, p)
		if err != nil {
			return out, fmt.Errorf("provisioning probe on %s: %w", p.Bus.Ref, redact.Error(err))
		}
		out.QueueURLs = append(out.QueueURLs, url)
	}
	return out, nil
}

// QueuePolicy is the policy EventBridge needs on an SQS target
// (eventbridge-model.md §10).
func QueuePolicy(queueARN, ruleARN string) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Sid":"EventsToBusdrillProbe","Effect":"Allow",`+
		`"Principal":{"Service":"events.amazonaws.com"},"Action":"sqs:SendMessage","Resource":%q,`+
		`"Condition":{"ArnEquals":{"aws:SourceArn":%q}}}]}`, queueARN, ruleARN)
}

func provisionProbe(ctx context.Context, c *awsclients.Clients, j *journal.Journal, l *Layout, p Probe) (string, error) {
	rec, err := j.Append(journal.Record{
		Account: p.Bus.Account, AccountID: p.Bus.ID, Region: l.Region,
		Action: "sqs:CreateQueue", Resource: p.QueueARN, Inverse: ptr(journal.DeleteQueueByNameCall(p.Queue)),
	})
	if err != nil {
		return "", err
	}
	q, err := c.SQS.CreateQueue(ctx, &sqs.CreateQueueInput{
		QueueName: aws.String(p.Queue),
		Attributes: map[string]string{
			string(sqstypes.QueueAttributeNamePolicy):                        QueuePolicy(p.QueueARN, p.RuleARN),
			string(sqstypes.QueueAttributeNameReceiveMessageWaitTimeSeconds): "20",
			string(sqstypes.QueueAttributeNameMessageRetentionPeriod):        "86400",
		},
		Tags: l.Tags,
	})
	if err != nil {
		return "", fmt.Errorf("CreateQueue %s: %w", p.Queue, err)
	}
	j.MarkApplied(rec.Seq, "")
	rec, err = j.Append(journal.Record{
		Account: p.Bus.Account, AccountID: p.Bus.ID, Region: l.Region,
		Action: "events:PutRule", Resource: p.RuleARN, Inverse: ptr(journal.DeleteRuleCall(p.Bus.Name, p.Rule)),
	})
	if err != nil {
		return "", err
	}
	var tags []ebtypes.Tag
	for _, k := range slices.Sorted(maps.Keys(l.Tags)) {
		tags = append(tags, ebtypes.Tag{Key: aws.String(k), Value: aws.String(l.Tags[k])})
	}
	if _, err := c.EventBridge.PutRule(ctx, &eventbridge.PutRuleInput{
		Name: aws.String(p.Rule), EventBusName: aws.String(p.Bus.Name), EventPattern: aws.String(p.Pattern),
		State: ebtypes.RuleStateEnabled, Tags: tags,
		Description: aws.String("busdrill probe of run " + l.RunID + " (shard " + l.Shard.String() + ")"),
	}); err != nil {
		return "", fmt.Errorf("PutRule %s: %w", p.Rule, err)
	}
	out, err := c.EventBridge.PutTargets(ctx, &eventbridge.PutTargetsInput{
		Rule: aws.String(p.Rule), EventBusName: aws.String(p.Bus.Name),
		Targets: []ebtypes.Target{{Id: aws.String(ProbeTarget), Arn: aws.String(p.QueueARN)}},
	})
	if err != nil {
		return "", fmt.Errorf("PutTargets %s: %w", p.Rule, err)
	}
	if out.FailedEntryCount > 0 {
		return "", fmt.Errorf("PutTargets %s: %s", p.Rule, aws.ToString(out.FailedEntries[0].ErrorMessage))
	}
	j.MarkApplied(rec.Seq, "")
	return aws.ToString(q.QueueUrl), nil
}

func ptr[T any](v T) *T { return &v }

// TeardownOptions select what teardown removes.
type TeardownOptions struct {
	// RunID, when set, removes only what that run created; empty removes
	// everything busdrill created on the layout's buses and accounts.
	RunID string
	// DryRun lists what would be removed without removing it.
	DryRun bool
}

// Removed is one resource teardown removed (or would remove).
type Removed struct {
	Account  string
	Kind     string // "rule" or "queue"
	Resource string // ARN or URL
	RunID    string
}

// Teardown removes the rules and queues busdrill created, found by their
// tags, from every bus of the layout and every account of the layout: a
// rule on a bus whose name starts with busdrill- and that carries
// busdrill:managed=true (and busdrill:run-id = RunID when given), with its
// targets; a queue likewise. It never touches anything without the tag,
// and running it again finds nothing to do.
func Teardown(ctx context.Context, accts Accounts, l *Layout, opts TeardownOptions) ([]Removed, error) {
	var removed []Removed
	var errs []error
	match := func(tags map[string]string) bool {
		return tags[TagManaged] == "true" && (opts.RunID == "" || tags[TagRunID] == opts.RunID)
	}
	for _, b := range l.Buses {
		c, err := accts.Account(b.Account)
		if err != nil {
			return removed, err
		}
		if b.ID != c.Account.ID {
			continue // a bus shared from another account: not ours to clean
		}
		rules, err := listRules(ctx, c, b.Name)
		if err != nil {
			if isNotFound(err) {
				continue
			}
			errs = append(errs, fmt.Errorf("%s: ListRules on %s: %w", b.Account, b.Name, err))
			continue
		}
		for _, r := range rules {
			tags, err := ruleTags(ctx, c, aws.ToString(r.Arn))
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: tags of %s: %w", b.Account, aws.ToString(r.Arn), err))
				continue
			}
			if !match(tags) {
				continue
			}
			removed = append(removed, Removed{Account: b.Account, Kind: "rule", Resource: aws.ToString(r.Arn), RunID: tags[TagRunID]})
			if opts.DryRun {
				continue
			}
			x := journal.AWSExecutor{Resolve: func(string) (journal.AccountClients, error) {
				return journal.AccountClients{EventBridge: c.EventBridge, SQS: c.SQS}, nil
			}}
			if _, err := x.Execute(ctx, journal.Record{Account: b.Account, Inverse: ptr(journal.DeleteRuleCall(b.Name, aws.ToString(r.Name)))}); err != nil {
				errs = append(errs, fmt.Errorf("%s: deleting rule %s: %w", b.Account, aws.ToString(r.Arn), err))
			}
		}
	}
	for _, a := range l.Accounts {
		c, err := accts.Account(a.Name)
		if err != nil {
			return removed, err
		}
		urls, err := listQueues(ctx, c)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: ListQueues: %w", a.Name, err))
			continue
		}
		for _, u := range urls {
			t, err := c.SQS.ListQueueTags(ctx, &sqs.ListQueueTagsInput{QueueUrl: aws.String(u)})
			if err != nil {
				if isNotFound(err) {
					continue
				}
				errs = append(errs, fmt.Errorf("%s: ListQueueTags %s: %w", a.Name, u, err))
				continue
			}
			if !match(t.Tags) {
				continue
			}
			removed = append(removed, Removed{Account: a.Name, Kind: "queue", Resource: u, RunID: t.Tags[TagRunID]})
			if opts.DryRun {
				continue
			}
			if _, err := c.SQS.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: aws.String(u)}); err != nil && !isNotFound(err) {
				errs = append(errs, fmt.Errorf("%s: DeleteQueue %s: %w", a.Name, u, err))
			}
		}
	}
	return removed, redact.Error(errors.Join(errs...))
}

func listRules(ctx context.Context, c *awsclients.Clients, bus string) ([]ebtypes.Rule, error) {
	var out []ebtypes.Rule
	var next *string
	for {
		r, err := c.EventBridge.ListRules(ctx, &eventbridge.ListRulesInput{
			EventBusName: aws.String(bus), NamePrefix: aws.String(NamePrefix), NextToken: next,
		})
		if err != nil {
			return nil, err
		}
		out = append(out, r.Rules...)
		if aws.ToString(r.NextToken) == "" {
			return out, nil
		}
		next = r.NextToken
	}
}

func ruleTags(ctx context.Context, c *awsclients.Clients, arn string) (map[string]string, error) {
	out, err := c.EventBridge.ListTagsForResource(ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: aws.String(arn)})
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, t := range out.Tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m, nil
}

func listQueues(ctx context.Context, c *awsclients.Clients) ([]string, error) {
	var out []string
	var next *string
	for {
		r, err := c.SQS.ListQueues(ctx, &sqs.ListQueuesInput{QueueNamePrefix: aws.String(NamePrefix), NextToken: next, MaxResults: aws.Int32(1000)})
		if err != nil {
			return nil, err
		}
		for _, u := range r.QueueUrls {
			if strings.Contains(u, "/"+NamePrefix) {
				out = append(out, u)
			}
		}
		if aws.ToString(r.NextToken) == "" {
			return out, nil
		}
		next = r.NextToken
	}
}

func isNotFound(err error) bool {
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "ResourceNotFoundException", "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue":
			return true
		}
	}
	return false
}
