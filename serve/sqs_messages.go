package serve

import (
	"encoding/base64"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The SQS message operations: SendMessage(Batch), ReceiveMessage (long
// polls), ChangeMessageVisibility(Batch), DeleteMessage(Batch).

// messageAttrs converts and checks SendMessage's attributes.
func messageAttrs(in map[string]apiMessageAttr) ([]msgAttr, *apiError) {
	if len(in) > 10 {
		return nil, &apiError{Code: "InvalidParameterValue", QueryCode: "InvalidParameterValue", Message: "Number of message attributes [" + strconv.Itoa(len(in)) + "] exceeds the allowed maximum [10]."}
	}
	var out []msgAttr
	for _, k := range slices.Sorted(maps.Keys(in)) {
		a := in[k]
		switch {
		case strings.HasPrefix(a.DataType, "String"), strings.HasPrefix(a.DataType, "Number"):
			out = append(out, msgAttr{k, a.DataType, a.StringValue})
		case isBinary(a.DataType):
			out = append(out, msgAttr{k, a.DataType, base64.StdEncoding.EncodeToString(a.BinaryValue)})
		default:
			return nil, &apiError{Code: "InvalidParameterValue", QueryCode: "InvalidParameterValue", Message: "The message attribute '" + k + "' has an invalid message attribute type."}
		}
	}
	return out, nil
}

func decodeBinaryAttr(a msgAttr) []byte {
	b, _ := base64.StdEncoding.DecodeString(a.Value)
	return b
}

// sendOne validates and enqueues one message.
func (qs *queues) sendOne(q *queue, body *string, delay *int, attrs map[string]apiMessageAttr) (*message, *apiError) {
	if body == nil || *body == "" {
		return nil, &apiError{Code: "MissingParameter", QueryCode: "MissingParameter", Message: "The request must contain the parameter MessageBody."}
	}
	if len(*body) > q.maxBytes {
		return nil, &apiError{Code: "InvalidParameterValue", QueryCode: "InvalidParameterValue", Message: "One or more parameters are invalid. Reason: Message must be shorter than " + strconv.Itoa(q.maxBytes) + " bytes."}
	}
	d := q.delay
	if delay != nil {
		if *delay < 0 || *delay > 900 {
			return nil, &apiError{Code: "InvalidParameterValue", QueryCode: "InvalidParameterValue", Message: "Value " + strconv.Itoa(*delay) + " for parameter DelaySeconds is invalid. Reason: must be between 0 and 900, if provided."}
		}
		d = time.Duration(*delay) * time.Second
	}
	ma, err := messageAttrs(attrs)
	if err != nil {
		return nil, err
	}
	m := qs.send(q, *body, ma, d)
	if m == nil {
		return nil, &apiError{Code: "OverLimit", QueryCode: "OverLimit", Message: "The queue holds too many messages."}
	}
	return m, nil
}

func sendMessage(b *backend, c caller, in *sqsIn) (any, *apiError) {
	q, err := b.queues.lookup(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	m, err := b.queues.sendOne(q, in.MessageBody, in.DelaySeconds, in.MessageAttributes)
	if err != nil {
		return nil, err
	}
	out := map[string]string{"MessageId": m.id, "MD5OfMessageBody": m.md5}
	if m.md5Attrs != "" {
		out["MD5OfMessageAttributes"] = m.md5Attrs
	}
	return out, nil
}

func checkBatch(entries []sqsBatchEntry) *apiError {
	if len(entries) == 0 {
		return &apiError{Code: "EmptyBatchRequest", QueryCode: "AWS.SimpleQueueService.EmptyBatchRequest", Message: "There should be at least one SendMessageBatchRequestEntry in the request."}
	}
	if len(entries) > 10 {
		return &apiError{Code: "TooManyEntriesInBatchRequest", QueryCode: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", Message: "Maximum number of entries per request are 10. You have sent " + strconv.Itoa(len(entries)) + "."}
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if seen[e.Id] {
			return &apiError{Code: "BatchEntryIdsNotDistinct", QueryCode: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", Message: "Id " + e.Id + " repeated."}
		}
		seen[e.Id] = true
	}
	return nil
}

func sendMessageBatch(b *backend, c caller, in *sqsIn) (any, *apiError) {
	q, err := b.queues.lookup(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	if err := checkBatch(in.Entries); err != nil {
		return nil, err
	}
	type ok struct {
		Id                     string `json:"Id"`
		MessageId              string `json:"MessageId"`
		MD5OfMessageBody       string `json:"MD5OfMessageBody"`
		MD5OfMessageAttributes string `json:"MD5OfMessageAttributes,omitempty"`
	}
	succ, failed := []ok{}, []batchError{}
	for _, e := range in.Entries {
		m, err := b.queues.sendOne(q, e.MessageBody, e.DelaySeconds, e.MessageAttributes)
		if err != nil {
			failed = append(failed, batchError{Id: e.Id, SenderFault: true, Code: err.QueryCode, Message: err.Message})
			continue
		}
		succ = append(succ, ok{e.Id, m.id, m.md5, m.md5Attrs})
	}
	return map[string]any{"Successful": succ, "Failed": failed}, nil
}

type apiMessage struct {
	MessageId              string                    `json:"MessageId"`
	ReceiptHandle          string                    `json:"ReceiptHandle"`
	MD5OfBody              string                    `json:"MD5OfBody"`
	Body                   string                    `json:"Body"`
	Attributes             map[string]string         `json:"Attributes,omitempty"`
	MD5OfMessageAttributes string                    `json:"MD5OfMessageAttributes,omitempty"`
	MessageAttributes      map[string]apiMessageAttr `json:"MessageAttributes,omitempty"`
}

// receiveMessage long-polls: it answers when messages are visible or the
// wait (WaitTimeSeconds, else the queue's) ends.
func receiveMessage(b *backend, c caller, in *sqsIn, alive func() bool, reply func(any, *apiError)) {
	q, err := b.queues.lookup(in.QueueUrl)
	if err != nil {
		reply(nil, err)
		return
	}
	n := in.MaxNumberOfMessages
	if n == 0 {
		n = 1
	}
	if n < 1 || n > 10 {
		reply(nil, &apiError{Code: "InvalidParameterValue", QueryCode: "InvalidParameterValue", Message: "Value " + strconv.Itoa(n) + " for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided."})
		return
	}
	vis := q.visibility
	if in.VisibilityTimeout != nil {
		if *in.VisibilityTimeout < 0 || *in.VisibilityTimeout > 43200 {
			reply(nil, errInvalidAttrValue("VisibilityTimeout"))
			return
		}
		vis = time.Duration(*in.VisibilityTimeout) * time.Second
	}
	wait := q.waitTime
	if in.WaitTimeSeconds != nil {
		if *in.WaitTimeSeconds < 0 || *in.WaitTimeSeconds > 20 {
			reply(nil, &apiError{Code: "InvalidParameterValue", QueryCode: "InvalidParameterValue", Message: "Value " + strconv.Itoa(*in.WaitTimeSeconds) + " for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided."})
			return
		}
		wait = time.Duration(*in.WaitTimeSeconds) * time.Second
	}
	sysAttrs := append(append([]string(nil), in.AttributeNames...), in.MessageSystemAttributeNames...)
	b.queues.wait(q, &waiter{max: n, visibility: vis, deadline: b.now().Add(wait), alive: alive, reply: func(msgs []*message) {
		if len(msgs) == 0 {
			reply(map[string][]apiMessage{}, nil) // SQS answers {} when nothing came
			return
		}
		out := make([]apiMessage, 0, len(msgs))
		for _, m := range msgs {
			out = append(out, b.queues.shape(m, sysAttrs, in.MessageAttributeNames))
		}
		reply(map[string][]apiMessage{"Messages": out}, nil)
	}})
}

// shape is a received message as ReceiveMessage answers it, with the
// system and message attributes asked for.
func (qs *queues) shape(m *message, sys, names []string) apiMessage {
	am := apiMessage{MessageId: m.id, ReceiptHandle: m.handle, MD5OfBody: m.md5, Body: m.body}
	if len(sys) > 0 {
		all := map[string]string{
			"SenderId":                         "AIDAIENQZJOLO23YVJ4VO",
			"SentTimestamp":                    strconv.FormatInt(qs.b.model.Wall(m.sent).UnixMilli(), 10),
			"ApproximateReceiveCount":          strconv.Itoa(m.receives),
			"ApproximateFirstReceiveTimestamp": strconv.FormatInt(qs.b.model.Wall(m.firstRecv).UnixMilli(), 10),
		}
		am.Attributes = map[string]string{}
		for _, n := range sys {
			if n == "All" {
				am.Attributes = all
				break
			}
			if v, ok := all[n]; ok {
				am.Attributes[n] = v
			}
		}
	}
	var sel []msgAttr
	for _, a := range m.attrs {
		for _, n := range names {
			if n == "All" || n == ".*" || n == a.Name || (strings.HasSuffix(n, ".*") && strings.HasPrefix(a.Name, strings.TrimSuffix(n, "*"))) {
				sel = append(sel, a)
				break
			}
		}
	}
	if len(sel) > 0 {
		am.MessageAttributes = map[string]apiMessageAttr{}
		for _, a := range sel {
			if isBinary(a.DataType) {
				am.MessageAttributes[a.Name] = apiMessageAttr{DataType: a.DataType, BinaryValue: decodeBinaryAttr(a)}
			} else {
				am.MessageAttributes[a.Name] = apiMessageAttr{DataType: a.DataType, StringValue: a.Value}
			}
		}
		am.MD5OfMessageAttributes = md5OfAttributes(sel, decodeBinaryAttr)
	}
	return am
}

func changeMessageVisibility(b *backend, c caller, in *sqsIn) (any, *apiError) {
	q, err := b.queues.lookup(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	return struct{}{}, b.queues.changeVisibility(q, in.ReceiptHandle, in.VisibilityTimeout)
}

func (qs *queues) changeVisibility(q *queue, handle string, vt *int) *apiError {
	m := q.handles[handle]
	if m == nil || m.deleted {
		return errReceipt(handle)
	}
	if vt == nil || *vt < 0 || *vt > 43200 {
		return errInvalidAttrValue("VisibilityTimeout")
	}
	if m.visibleAt <= qs.b.now() {
		return &apiError{Code: "MessageNotInflight", QueryCode: "AWS.SimpleQueueService.MessageNotInflight", Message: "Message does not exist or is not available for visibility timeout change."}
	}
	m.visibleAt = qs.b.now().Add(time.Duration(*vt) * time.Second)
	qs.serve(q)
	return nil
}

func deleteMessage(b *backend, c caller, in *sqsIn) (any, *apiError) {
	q, err := b.queues.lookup(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	return struct{}{}, b.queues.delete(q, in.ReceiptHandle)
}

func (qs *queues) delete(q *queue, handle string) *apiError {
	if !strings.HasPrefix(handle, q.ref+"#") {
		return errReceipt(handle)
	}
	// A handle of a message received again since, or deleted already,
	// deletes nothing and is no error (as SQS).
	if m := q.handles[handle]; m != nil {
		qs.remove(q, m)
		qs.compact(q)
	}
	return nil
}

func deleteMessageBatch(b *backend, c caller, in *sqsIn) (any, *apiError) {
	q, err := b.queues.lookup(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	if err := checkBatch(in.Entries); err != nil {
		return nil, err
	}
	type ok struct {
		Id string `json:"Id"`
	}
	succ, failed := []ok{}, []batchError{}
	for _, e := range in.Entries {
		if err := b.queues.delete(q, e.ReceiptHandle); err != nil {
			failed = append(failed, batchError{Id: e.Id, SenderFault: true, Code: err.QueryCode, Message: err.Message})
			continue
		}
		succ = append(succ, ok{e.Id})
	}
	return map[string]any{"Successful": succ, "Failed": failed}, nil
}

func changeMessageVisibilityBatch(b *backend, c caller, in *sqsIn) (any, *apiError) {
	q, err := b.queues.lookup(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	if err := checkBatch(in.Entries); err != nil {
		return nil, err
	}
	type ok struct {
		Id string `json:"Id"`
	}
	succ, failed := []ok{}, []batchError{}
	for _, e := range in.Entries {
		if err := b.queues.changeVisibility(q, e.ReceiptHandle, e.VisibilityTimeout); err != nil {
			failed = append(failed, batchError{Id: e.Id, SenderFault: true, Code: err.QueryCode, Message: err.Message})
			continue
		}
		succ = append(succ, ok{e.Id})
	}
	return map[string]any{"Successful": succ, "Failed": failed}, nil
}
