package drill

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// delivery is one message a probe (or DLQ) received.
type delivery struct {
	probe      int
	at         time.Duration
	id         string
	detailType string
	source     string
	account    string // the envelope's account id (an emulator may rewrite it)
	resources  []string
	detail     []byte // compacted
	// DLQ messages: the ERROR_CODE, RULE_ARN and TARGET_ARN attributes.
	errorCode, ruleARN, targetARN string
}

// body is the part of an event's JSON (the SQS message body) a probe reads.
type body struct {
	ID         string          `json:"id"`
	DetailType string          `json:"detail-type"`
	Source     string          `json:"source"`
	Account    string          `json:"account"`
	Resources  []string        `json:"resources"`
	Detail     json.RawMessage `json:"detail"`
}

// parseBody decodes an event body and compacts its detail, so that the
// metadata reads the same whether the emulator re-serialized it with
// spaces (moto) or not (AWS).
func parseBody(s string) (delivery, bool) {
	var b body
	if err := json.Unmarshal([]byte(s), &b); err != nil || len(b.Detail) == 0 {
		return delivery{}, false
	}
	var buf bytes.Buffer
	buf.Grow(len(b.Detail))
	if err := json.Compact(&buf, b.Detail); err != nil {
		return delivery{}, false
	}
	return delivery{id: b.ID, detailType: b.DetailType, source: b.Source, account: b.Account, resources: b.Resources, detail: buf.Bytes()}, true
}

// poll long-polls one probe queue (WaitTime, 10 messages), posts every
// message to the loop, and deletes them in one batch. Several pollers
// share a queue. It stops when ctx is cancelled.
func (d *Drill) poll(ctx context.Context, probe int, url string, q QueueAPI) {
	wait := int32(d.opts.Probes.WaitTimeOrDefault() / time.Second)
	backoff := 100 * time.Millisecond
	var del []sqstypes.DeleteMessageBatchRequestEntry
	for ctx.Err() == nil {
		out, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(url), MaxNumberOfMessages: 10, WaitTimeSeconds: wait,
		})
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			d.counters.pollErrors.Add(1)
			t := d.clock.NewTimer(backoff)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C():
			}
			backoff = min(2*backoff, 5*time.Second)
			continue
		}
		backoff = 100 * time.Millisecond
		at := d.elapsed()
		del = del[:0]
		for i, m := range out.Messages {
			d.counters.probeMessages.Add(1)
			dv, ok := parseBody(aws.ToString(m.Body))
			dv.probe, dv.at = probe, at
			if ok {
				d.post(msg{kind: msgDelivery, delivery: dv})
			} else {
				d.post(msg{kind: msgForeign})
			}
			del = append(del, sqstypes.DeleteMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), ReceiptHandle: m.ReceiptHandle})
		}
		if len(del) > 0 {
			// Deleting is not cancelled with the run: a message received
			// is recorded, and must not come back as a duplicate.
			dctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			if _, err := q.DeleteMessageBatch(dctx, &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(url), Entries: del}); err != nil {
				d.counters.pollErrors.Add(1)
			}
			cancel()
		}
	}
}

// getQueueURL resolves a queue name in an account.
func getQueueURL(ctx context.Context, q QueueAPI, name, accountID string) (string, error) {
	in := &sqs.GetQueueUrlInput{QueueName: aws.String(name)}
	if accountID != "" {
		in.QueueOwnerAWSAccountId = aws.String(accountID)
	}
	out, err := q.GetQueueUrl(ctx, in)
	if err != nil {
		return "", err
	}
	return aws.ToString(out.QueueUrl), nil
}

// readDLQs reads every DLQ of the layout without deleting anything
// (visibility timeout 0, messages deduplicated by message id) until it
// stops finding new messages, and hands each to the loop: each is an
// expected delivery that ended in the DLQ, its ERROR_CODE the cause.
func (d *Drill) readDLQs(ctx context.Context, l *loop) {
	for i, q := range d.opts.Layout.DLQs {
		c, ok := d.opts.Clients[q.Account]
		if !ok || c.SQS == nil {
			fmt.Fprintf(d.opts.Log, "dlq %s: no SQS client for %s; not read\n", q.Ref, q.Account)
			continue
		}
		url, err := getQueueURL(ctx, c.SQS, q.Name, q.ID)
		if err != nil {
			fmt.Fprintf(d.opts.Log, "dlq %s: %v; not read\n", q.Ref, err)
			d.counters.pollErrors.Add(1)
			continue
		}
		seen := map[string]bool{}
		for idle := 0; idle < 2 && ctx.Err() == nil; {
			out, err := c.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
				QueueUrl: aws.String(url), MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 0,
				MessageAttributeNames: []string{"All"},
			})
			if err != nil {
				d.counters.pollErrors.Add(1)
				break
			}
			fresh := 0
			for _, m := range out.Messages {
				id := aws.ToString(m.MessageId)
				if seen[id] {
					continue
				}
				seen[id] = true
				fresh++
				dv, ok := parseBody(aws.ToString(m.Body))
				if !ok {
					l.foreign++
					continue
				}
				dv.probe, dv.at = i, d.elapsed()
				attr := func(name string) string { return aws.ToString(m.MessageAttributes[name].StringValue) }
				dv.errorCode, dv.ruleARN, dv.targetARN = attr("ERROR_CODE"), attr("RULE_ARN"), attr("TARGET_ARN")
				l.deadLettered(q, dv)
			}
			if fresh == 0 {
				idle++
			} else {
				idle = 0
			}
		}
	}
}
