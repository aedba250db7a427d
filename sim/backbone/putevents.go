package backbone

import (
	"strings"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/sim"
	"github.com/busdrill/busdrill/topology"
)

// APIError is a request-level error of an API call: an AWS exception name
// and its message.
type APIError struct {
	Code    string
	Message string
}

func (e *APIError) Error() string { return e.Code + ": " + e.Message }

// Exception names and messages of request-level errors (a throttled
// request is event.CodeThrottling, the same name as a throttled entry).
const (
	CodeValidation         = "ValidationException"
	CodeUnrecognizedClient = "UnrecognizedClientException"
	CodeResourceNotFound   = "ResourceNotFoundException"
	CodeResourceExists     = "ResourceAlreadyExistsException"
	CodeLimitExceeded      = "LimitExceededException"
	CodeIllegalStatus      = "IllegalStatusException"

	// MsgRateExceeded is the message of a throttled request (the common
	// AWS wording; UNCONFIRMED for EventBridge).
	MsgRateExceeded = "Rate exceeded"
	// MsgNoEntries is the message for an empty Entries list (AWS's
	// constraint wording, by analogy with MsgTooManyEntries).
	MsgNoEntries = "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1"
	// MsgNotAuthorizedSource is the message of NotAuthorizedForSourceException
	// for a custom event whose source starts with "aws." (UNCONFIRMED).
	MsgNotAuthorizedSource = "Not authorized for the source."
)

// Response is PutEvents' answer. Err is a request-level failure (HTTP 400:
// throttling, too many entries, too large); otherwise the request
// succeeded (HTTP 200) with one result per entry, in order, and
// FailedEntryCount of them failed.
type Response struct {
	Err              *APIError
	FailedEntryCount int
	Entries          []event.Result
	// AckAt is the virtual time at which the caller sees the response.
	AckAt sim.Time
}

// PutEvents publishes entries as account (an account Name or ID) at the
// current virtual time, as the PutEvents API does (eventbridge-model.md
// §1.2): whole-request ThrottlingException from the account's token
// bucket; whole-request ValidationException for 0 or more than 10 entries
// or a total size over MaxRequestBytes; otherwise per-entry validation
// (InvalidArgument, MalformedDetail, NotAuthorizedForSourceException),
// AccessDeniedException for another account's bus whose policy does not
// allow the sender, and an EventId for every accepted entry (also for an
// unknown bus of the sender's own account: accepted, then dropped with
// cause "unknown-bus"). Accepted entries reach their bus after the Ingest
// latency.
//
// The model keeps the entries' Detail and Resources slices in the
// envelopes it builds: the caller must not modify them afterwards.
func (m *Model) PutEvents(account string, entries []event.Entry) Response {
	return m.PutEventsTo(nil, account, entries)
}

// PutEventsTo is PutEvents appending the results to dst[:0], for callers
// that reuse a results buffer.
func (m *Model) PutEventsTo(dst []event.Result, account string, entries []event.Entry) Response {
	s, ok := m.names.Account(account)
	if !ok {
		return Response{Err: &APIError{Code: CodeUnrecognizedClient, Message: "The security token included in the request is invalid."}, AckAt: m.Now()}
	}
	return m.putEvents(dst, s, entries)
}

// AccountIndex returns the index of the account with that Name or ID,
// for PutEventsFrom.
func (m *Model) AccountIndex(nameOrID string) (int, bool) { return m.names.Account(nameOrID) }

// PutEventsFrom is PutEventsTo for the account of index acct (from
// AccountIndex): a client that calls again and again saves looking its
// account up.
func (m *Model) PutEventsFrom(dst []event.Result, acct int, entries []event.Entry) Response {
	return m.putEvents(dst, acct, entries)
}

func (m *Model) putEvents(dst []event.Result, s int, entries []event.Entry) Response {
	a := &m.accounts[s]
	now := m.Now()
	resp := Response{AckAt: now.Add(m.latAck.next() + m.extraAck(s))}
	a.metrics[mPutCalls]++
	var err *APIError
	switch {
	case !a.put.allow(now):
		err = &APIError{Code: event.CodeThrottling, Message: MsgRateExceeded}
		a.metrics[mPutThrottled]++
	case len(entries) == 0:
		err = &APIError{Code: CodeValidation, Message: MsgNoEntries}
	case len(entries) > event.MaxEntriesPerRequest:
		err = &APIError{Code: CodeValidation, Message: event.MsgTooManyEntries}
	case event.RequestSize(entries) > m.p.MaxRequestBytes:
		err = &APIError{Code: CodeValidation, Message: event.MsgRequestTooLarge}
	}
	if err != nil {
		if err.Code != event.CodeThrottling {
			a.metrics[mPutFailed]++
		}
		resp.Err = err
		for i := range entries {
			if o := m.begin(KindPublishRejected, nil); o != nil {
				o.Sender, o.Account, o.Entry = a.name, a.name, i
				o.Cause, o.Message = err.Code, err.Message
				m.emit(o)
			}
		}
		return resp
	}
	dst = dst[:0]
	for i := range entries {
		r := m.putEntry(s, i, &entries[i])
		if r.Failed() {
			resp.FailedEntryCount++
		}
		dst = append(dst, r)
	}
	resp.Entries = dst
	a.metrics[mPutEntries] += uint64(len(entries))
	a.metrics[mPutFailedEntries] += uint64(resp.FailedEntryCount)
	if resp.FailedEntryCount == 0 {
		a.metrics[mPutSuccess]++
	} else {
		a.metrics[mPutFailed]++
	}
	return resp
}

func (m *Model) putEntry(s, i int, en *event.Entry) event.Result {
	a := &m.accounts[s]
	code, msg := m.validateEntry(en)
	owner, b := -1, -1
	if code == "" {
		owner, b = m.resolveBus(s, en.EventBusName)
		if owner != s {
			allowed := owner >= 0 && b >= 0 &&
				topology.PolicyAllows(m.buses[b].policy, &m.accounts[owner].info, &m.accounts[s].info)
			if !allowed {
				code = event.CodeAccessDenied
				res := en.EventBusName
				if b >= 0 {
					res = m.buses[b].arn
				}
				msg = "User: arn:aws:iam::" + a.id + ":root is not authorized to perform: events:PutEvents on resource: " + res + " because no resource-based policy allows the events:PutEvents action"
			}
		}
	}
	if code == "" {
		code, msg = m.entryFault(s) // SetEntryFailure
	}
	if code != "" {
		if o := m.begin(KindPublishRejected, nil); o != nil {
			o.Sender, o.Account, o.Entry, o.Cause, o.Message = a.name, a.name, i, code, msg
			m.emit(o)
		}
		return event.Result{ErrorCode: code, ErrorMessage: msg}
	}
	rec := m.newRecord(s, en)
	if o := m.begin(KindPublishAccepted, rec); o != nil {
		o.Account, o.Entry = a.name, i
		// Bus is the resolved reference, or the name as given (or
		// "default") when there is no such bus: either way
		// Router.ExpectedRoutes(o.Sender, o.Bus, o.Env) resolves it as
		// PutEvents did.
		switch {
		case b >= 0:
			o.Bus = m.buses[b].ref
		case en.EventBusName == "":
			o.Bus = "default"
		default:
			o.Bus = en.EventBusName
		}
		m.emit(o)
	}
	if b < 0 {
		if o := m.begin(KindDropped, rec); o != nil {
			o.Account, o.Cause = a.name, CauseUnknownBus
			o.Message = "event bus " + en.EventBusName + " does not exist"
			m.emit(o)
		}
		return event.Result{EventID: rec.env.ID}
	}
	m.pushAfter(m.latIngest.next()+m.extraIngest(s, b), ev{kind: evIngest, rec: rec, bus: int32(b)})
	return event.Result{EventID: rec.env.ID}
}

// validateEntry checks one entry as PutEvents does, in AWS's order.
func (m *Model) validateEntry(en *event.Entry) (code, msg string) {
	switch {
	case en.Source == "":
		return event.CodeInvalidArgument, event.MsgSourceRequired
	case en.DetailType == "":
		return event.CodeInvalidArgument, event.MsgDetailTypeRequired
	case len(en.Detail) == 0 && !(en.DetailLazy && m.p.Details != nil):
		return event.CodeInvalidArgument, event.MsgDetailRequired
	case !en.DetailValid && event.ValidateObject(en.Detail, &m.detailScratch) != nil:
		return event.CodeMalformedDetail, event.MsgDetailMalformed
	case strings.HasPrefix(en.Source, "aws."):
		return event.CodeNotAuthorizedSource, MsgNotAuthorizedSource
	}
	return "", ""
}

// newRecord builds the envelope of an accepted entry, with a
// deterministic version-4 UUID from the "ids" stream.
func (m *Model) newRecord(s int, en *event.Entry) *record {
	rec := m.allocRecord() // with its id
	rec.sender, rec.replay, rec.tag, rec.at = int32(s), -1, en.Tag, m.Now()
	rec.env.DetailType = en.DetailType
	rec.env.Source = en.Source
	rec.env.Account = m.accounts[s].id
	rec.env.Region = m.region
	rec.env.Resources = en.Resources
	rec.env.Detail = en.Detail
	if en.DetailLazy && en.Detail == nil {
		rec.lazy, rec.token, rec.size = true, en.DetailToken, int32(min(en.DetailBytes, 1<<31-1))
	}
	if en.Time.IsZero() {
		rec.env.Time = m.Wall(m.Now())
	} else {
		rec.env.Time = en.Time
	}
	return rec
}
