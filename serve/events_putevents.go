package serve

import (
	"github.com/busdrill/busdrill/event"
)

// PutEvents: the entries are decoded on the handler's goroutine; the
// model validates, authorizes, throttles and routes them (see
// sim/backbone: whole-request ThrottlingException and ValidationException,
// per-entry errors with HTTP 200). The answer comes at once, or at the
// model's acknowledgement time while an "ack" latency fault is in force.

type putEventsReq struct {
	entries []event.Entry
}

func decodePutEvents(body []byte) (any, *apiError) {
	x, err := decodeJSON[putEventsIn](body)
	if err != nil {
		return nil, err
	}
	in := x.(*putEventsIn)
	if len(in.Entries) > 1000 {
		return nil, validationf("%s", event.MsgTooManyEntries)
	}
	req := &putEventsReq{entries: make([]event.Entry, len(in.Entries))}
	for i, e := range in.Entries {
		en := &req.entries[i]
		en.Source, en.DetailType, en.EventBusName, en.TraceHeader = deref(e.Source), deref(e.DetailType), deref(e.EventBusName), deref(e.TraceHeader)
		if e.Detail != nil {
			en.Detail = []byte(*e.Detail)
		}
		en.Resources = e.Resources
		if e.Time != nil {
			en.Time = e.Time.Time
		}
	}
	return req, nil
}

func runPutEvents(b *backend, c caller, x any, _ func() bool, reply func(any, *apiError)) {
	req := x.(*putEventsReq)
	name := b.account(c.account)
	resp := b.model.PutEvents(name, req.entries)
	var out any
	var err *apiError
	if resp.Err != nil {
		err = &apiError{Code: resp.Err.Code, Message: resp.Err.Message}
	} else {
		o := putEventsOut{FailedEntryCount: resp.FailedEntryCount, Entries: make([]putEventsResultEntry, len(resp.Entries))}
		for i, r := range resp.Entries {
			o.Entries[i] = putEventsResultEntry{EventId: r.EventID, ErrorCode: r.ErrorCode, ErrorMessage: r.ErrorMessage}
		}
		out = o
	}
	if b.faults != nil {
		b.faults.published(req.entries)
	}
	if b.ackDelay && resp.AckAt > b.now() {
		b.at(resp.AckAt, func() { reply(out, err) })
		return
	}
	reply(out, err)
}

var putEventsOp = operation{decode: decodePutEvents, run: runPutEvents}
