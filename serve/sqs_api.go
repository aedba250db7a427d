package serve

import (
	"encoding/json"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The SQS operations (JSON protocol). Errors carry the JSON shape name and
// the query code (see package wire).

var queueNameRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}(\.fifo)?$`)

func errNoQueue() *apiError {
	return &apiError{Code: "QueueDoesNotExist", QueryCode: "AWS.SimpleQueueService.NonExistentQueue", Message: "The specified queue does not exist."}
}

func errInvalidAttr(name string) *apiError {
	return &apiError{Code: "InvalidAttributeName", QueryCode: "InvalidAttributeName", Message: "Unknown Attribute " + name + "."}
}

func errInvalidAttrValue(name string) *apiError {
	return &apiError{Code: "InvalidAttributeValue", QueryCode: "InvalidAttributeValue", Message: "Invalid value for the parameter " + name + "."}
}

func errReceipt(h string) *apiError {
	return &apiError{Code: "ReceiptHandleIsInvalid", QueryCode: "ReceiptHandleIsInvalid", Message: "The input receipt handle \"" + h + "\" is not a valid receipt handle."}
}

type sqsIn struct {
	QueueName                   string                    `json:"QueueName"`
	QueueUrl                    string                    `json:"QueueUrl"`
	QueueOwnerAWSAccountId      string                    `json:"QueueOwnerAWSAccountId"`
	QueueNamePrefix             string                    `json:"QueueNamePrefix"`
	Attributes                  map[string]string         `json:"Attributes"`
	AttributeNames              []string                  `json:"AttributeNames"`
	MessageSystemAttributeNames []string                  `json:"MessageSystemAttributeNames"`
	MessageAttributeNames       []string                  `json:"MessageAttributeNames"`
	Tags                        map[string]string         `json:"tags"`
	TagsCap                     map[string]string         `json:"Tags"`
	TagKeys                     []string                  `json:"TagKeys"`
	MessageBody                 *string                   `json:"MessageBody"`
	DelaySeconds                *int                      `json:"DelaySeconds"`
	MessageAttributes           map[string]apiMessageAttr `json:"MessageAttributes"`
	MaxNumberOfMessages         int                       `json:"MaxNumberOfMessages"`
	VisibilityTimeout           *int                      `json:"VisibilityTimeout"`
	WaitTimeSeconds             *int                      `json:"WaitTimeSeconds"`
	ReceiptHandle               string                    `json:"ReceiptHandle"`
	Entries                     []sqsBatchEntry           `json:"Entries"`
	MaxResults                  int                       `json:"MaxResults"`
	NextToken                   *string                   `json:"NextToken"`
}

type apiMessageAttr struct {
	DataType    string `json:"DataType"`
	StringValue string `json:"StringValue,omitempty"`
	BinaryValue []byte `json:"BinaryValue,omitempty"`
}

type sqsBatchEntry struct {
	Id                string                    `json:"Id"`
	MessageBody       *string                   `json:"MessageBody"`
	DelaySeconds      *int                      `json:"DelaySeconds"`
	MessageAttributes map[string]apiMessageAttr `json:"MessageAttributes"`
	ReceiptHandle     string                    `json:"ReceiptHandle"`
	VisibilityTimeout *int                      `json:"VisibilityTimeout"`
}

type batchError struct {
	Id          string `json:"Id"`
	SenderFault bool   `json:"SenderFault"`
	Code        string `json:"Code"`
	Message     string `json:"Message"`
}

func queueURL(host, account, name string) string {
	return "http://" + host + "/" + account + "/" + name
}

// lookup finds the queue a QueueUrl names (the path's last two segments
// are the account id and the name).
func (qs *queues) lookup(rawURL string) (*queue, *apiError) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, errNoQueue()
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) < 2 {
		return nil, errNoQueue()
	}
	acct, name := parts[len(parts)-2], parts[len(parts)-1]
	if !accountIDRe.MatchString(acct) {
		return nil, errNoQueue()
	}
	q := qs.byRef[qs.b.account(acct)+"/"+name]
	if q == nil {
		return nil, errNoQueue()
	}
	return q, nil
}

// queueAttrNames are the settable attributes and their bounds.
var queueAttrBounds = map[string][2]int{
	"VisibilityTimeout":             {0, 43200},
	"DelaySeconds":                  {0, 900},
	"MessageRetentionPeriod":        {60, 1209600},
	"MaximumMessageSize":            {1024, MaxMessageBytes},
	"ReceiveMessageWaitTimeSeconds": {0, 20},
}

var queueAttrFree = map[string]bool{
	"Policy": true, "RedrivePolicy": true, "RedriveAllowPolicy": true, "KmsMasterKeyId": true,
	"KmsDataKeyReusePeriodSeconds": true, "SqsManagedSseEnabled": true, "FifoQueue": true,
	"ContentBasedDeduplication": true, "DeduplicationScope": true, "FifoThroughputLimit": true,
}

// setAttributes validates and applies queue attributes.
func (qs *queues) setAttributes(q *queue, attrs map[string]string) *apiError {
	for _, k := range slices.Sorted(maps.Keys(attrs)) {
		v := attrs[k]
		if bd, ok := queueAttrBounds[k]; ok {
			n, err := strconv.Atoi(v)
			if err != nil || n < bd[0] || n > bd[1] {
				return errInvalidAttrValue(k)
			}
			continue
		}
		if !queueAttrFree[k] {
			return errInvalidAttr(k)
		}
		if k == "RedrivePolicy" && v != "" {
			var rp struct {
				DeadLetterTargetArn string          `json:"deadLetterTargetArn"`
				MaxReceiveCount     json.RawMessage `json:"maxReceiveCount"`
			}
			if json.Unmarshal([]byte(v), &rp) != nil || rp.DeadLetterTargetArn == "" {
				return errInvalidAttrValue(k)
			}
			n, err := strconv.Atoi(strings.Trim(string(rp.MaxReceiveCount), `"`))
			if err != nil || n < 1 || n > 1000 {
				return errInvalidAttrValue(k)
			}
		}
	}
	for k, v := range attrs {
		q.attrs[k] = v
	}
	qs.applyAttributes(q)
	q.modified = qs.b.wall()
	return nil
}

func (qs *queues) applyAttributes(q *queue) {
	sec := func(k string, d int) time.Duration {
		if n, err := strconv.Atoi(q.attrs[k]); err == nil {
			return time.Duration(n) * time.Second
		}
		return time.Duration(d) * time.Second
	}
	q.visibility = sec("VisibilityTimeout", 30)
	q.delay = sec("DelaySeconds", 0)
	q.retention = sec("MessageRetentionPeriod", 345600)
	q.waitTime = sec("ReceiveMessageWaitTimeSeconds", 0)
	q.maxBytes = MaxMessageBytes
	if n, err := strconv.Atoi(q.attrs["MaximumMessageSize"]); err == nil {
		q.maxBytes = n
	}
	q.dlq, q.maxReceive = "", 0
	if v := q.attrs["RedrivePolicy"]; v != "" {
		var rp struct {
			DeadLetterTargetArn string          `json:"deadLetterTargetArn"`
			MaxReceiveCount     json.RawMessage `json:"maxReceiveCount"`
		}
		json.Unmarshal([]byte(v), &rp)
		if p, ok := parseARN(rp.DeadLetterTargetArn); ok && accountIDRe.MatchString(p.account) {
			q.dlq = qs.b.account(p.account) + "/" + p.resource
			q.maxReceive, _ = strconv.Atoi(strings.Trim(string(rp.MaxReceiveCount), `"`))
		}
	}
}

func createQueue(b *backend, c caller, in *sqsIn) (any, *apiError) {
	qs := b.queues
	if !queueNameRe.MatchString(in.QueueName) {
		return nil, &apiError{Code: "InvalidParameterValue", QueryCode: "InvalidParameterValue", Message: "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"}
	}
	name := b.account(c.account)
	ref := name + "/" + in.QueueName
	if q := qs.byRef[ref]; q != nil {
		for k, v := range in.Attributes {
			if q.attrs[k] != v {
				return nil, &apiError{Code: "QueueNameExists", QueryCode: "QueueAlreadyExists", Message: "A queue already exists with the same name and a different value for attribute " + k}
			}
		}
		return map[string]string{"QueueUrl": queueURL(c.host, c.account, in.QueueName)}, nil
	}
	if len(qs.byRef) >= MaxQueues {
		return nil, &apiError{Code: "OverLimit", QueryCode: "OverLimit", Message: "Too many queues."}
	}
	now := b.wall()
	q := &queue{name: in.QueueName, account: c.account, ref: ref, arn: "arn:aws:sqs:" + b.region + ":" + c.account + ":" + in.QueueName,
		attrs: map[string]string{}, tags: map[string]string{}, handles: map[string]*message{}, created: now}
	if err := qs.setAttributes(q, in.Attributes); err != nil {
		return nil, err
	}
	q.created = now
	for k, v := range in.Tags {
		q.tags[k] = v
	}
	if err := b.model.CreateQueue(ref); err != nil {
		return nil, modelError(err)
	}
	qs.byRef[ref] = q
	return map[string]string{"QueueUrl": queueURL(c.host, c.account, in.QueueName)}, nil
}

func getQueueURL(b *backend, c caller, in *sqsIn) (any, *apiError) {
	owner := c.account
	if in.QueueOwnerAWSAccountId != "" {
		owner = in.QueueOwnerAWSAccountId
	}
	if !accountIDRe.MatchString(owner) || b.queues.byRef[b.account(owner)+"/"+in.QueueName] == nil {
		return nil, errNoQueue()
	}
	return map[string]string{"QueueUrl": queueURL(c.host, owner, in.QueueName)}, nil
}

func getQueueAttributes(b *backend, c caller, in *sqsIn) (any, *apiError) {
	q, err := b.queues.lookup(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	vis, inFlight, delayed := b.queues.counts(q)
	all := map[string]string{
		"QueueArn":                              q.arn,
		"ApproximateNumberOfMessages":           strconv.Itoa(vis),
		"ApproximateNumberOfMessagesNotVisible": strconv.Itoa(inFlight),
		"ApproximateNumberOfMessagesDelayed":    strconv.Itoa(delayed),
		"CreatedTimestamp":                      strconv.FormatInt(q.created.Unix(), 10),
		"LastModifiedTimestamp":                 strconv.FormatInt(later(q.created, q.modified).Unix(), 10),
		"VisibilityTimeout":                     strconv.Itoa(int(q.visibility / time.Second)),
		"MaximumMessageSize":                    strconv.Itoa(q.maxBytes),
		"MessageRetentionPeriod":                strconv.Itoa(int(q.retention / time.Second)),
		"DelaySeconds":                          strconv.Itoa(int(q.delay / time.Second)),
		"ReceiveMessageWaitTimeSeconds":         strconv.Itoa(int(q.waitTime / time.Second)),
		"SqsManagedSseEnabled":                  "false",
	}
	for k, v := range q.attrs {
		if queueAttrFree[k] {
			all[k] = v
		}
	}
	out := map[string]string{}
	for _, n := range in.AttributeNames {
		if n == "All" {
			out = all
			break
		}
		if v, ok := all[n]; ok {
			out[n] = v
		} else if _, known := queueAttrBounds[n]; !known && !queueAttrFree[n] {
			return nil, errInvalidAttr(n)
		}
	}
	return map[string]map[string]string{"Attributes": out}, nil
}

func setQueueAttributes(b *backend, c caller, in *sqsIn) (any, *apiError) {
	q, err := b.queues.lookup(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	return struct{}{}, b.queues.setAttributes(q, in.Attributes)
}

func purgeQueue(b *backend, c caller, in *sqsIn) (any, *apiError) {
	q, err := b.queues.lookup(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	for _, m := range q.msgs {
		b.queues.remove(q, m)
	}
	b.queues.compact(q)
	return struct{}{}, nil
}

func deleteQueue(b *backend, c caller, in *sqsIn) (any, *apiError) {
	q, err := b.queues.lookup(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	for len(q.waiters) > 0 {
		b.queues.finish(q, q.waiters[0], nil)
	}
	if err := b.model.DeleteQueue(q.ref); err != nil {
		return nil, modelError(err)
	}
	delete(b.queues.byRef, q.ref)
	return struct{}{}, nil
}

func listQueues(b *backend, c caller, in *sqsIn) (any, *apiError) {
	var all []string
	for _, ref := range slices.Sorted(maps.Keys(b.queues.byRef)) {
		q := b.queues.byRef[ref]
		if q.account == c.account && strings.HasPrefix(q.name, in.QueueNamePrefix) {
			all = append(all, queueURL(c.host, q.account, q.name))
		}
	}
	limit := in.MaxResults
	if in.MaxResults == 0 && in.NextToken == nil {
		limit = 1000
	}
	got, next, err := page(all, in.NextToken, limit, 1000)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"QueueUrls": got}
	if got == nil {
		out = map[string]any{}
	}
	if next != nil {
		out["NextToken"] = *next
	}
	return out, nil
}

func tagQueue(b *backend, c caller, in *sqsIn) (any, *apiError) {
	q, err := b.queues.lookup(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	tags := in.TagsCap
	if len(q.tags)+len(tags) > 50 {
		return nil, &apiError{Code: "InvalidParameterValue", QueryCode: "InvalidParameterValue", Message: "Too many tags added for queue " + q.name + "."}
	}
	for k, v := range tags {
		q.tags[k] = v
	}
	return struct{}{}, nil
}

func untagQueue(b *backend, c caller, in *sqsIn) (any, *apiError) {
	q, err := b.queues.lookup(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	for _, k := range in.TagKeys {
		delete(q.tags, k)
	}
	return struct{}{}, nil
}

func listQueueTags(b *backend, c caller, in *sqsIn) (any, *apiError) {
	q, err := b.queues.lookup(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if len(q.tags) > 0 {
		tags := map[string]string{}
		for k, v := range q.tags {
			tags[k] = v
		}
		out["Tags"] = tags
	}
	return out, nil
}

// sqsOps are SQS's operations by name. ReceiveMessage is the one that
// answers later.
var sqsOps = map[string]operation{
	"CreateQueue":                  syncOp(createQueue),
	"GetQueueUrl":                  syncOp(getQueueURL),
	"GetQueueAttributes":           syncOp(getQueueAttributes),
	"SetQueueAttributes":           syncOp(setQueueAttributes),
	"SendMessage":                  syncOp(sendMessage),
	"SendMessageBatch":             syncOp(sendMessageBatch),
	"ChangeMessageVisibility":      syncOp(changeMessageVisibility),
	"ChangeMessageVisibilityBatch": syncOp(changeMessageVisibilityBatch),
	"DeleteMessage":                syncOp(deleteMessage),
	"DeleteMessageBatch":           syncOp(deleteMessageBatch),
	"PurgeQueue":                   syncOp(purgeQueue),
	"DeleteQueue":                  syncOp(deleteQueue),
	"ListQueues":                   syncOp(listQueues),
	"TagQueue":                     syncOp(tagQueue),
	"UntagQueue":                   syncOp(untagQueue),
	"ListQueueTags":                syncOp(listQueueTags),
	"ReceiveMessage":               asyncOp(receiveMessage),
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
