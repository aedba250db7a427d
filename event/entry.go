package event

import "time"

// Entry is one PutEvents request entry (PutEventsRequestEntry).
type Entry struct {
	// EventBusName is a bus name or ARN; empty means the default bus.
	EventBusName string
	Source       string
	DetailType   string
	// Detail must be a JSON object; anything else is rejected per entry
	// with MalformedDetail.
	Detail []byte
	// DetailBytes, when set, is the true size of a detail too large for
	// any PutEvents limit, which was never built: Detail then holds a
	// representative of it (the same fields, less padding) for routing
	// decisions, and the size formula counts DetailBytes, so the entry is
	// refused for its size as the real one would be. A harness value,
	// like Tag: a live client never sends such an entry.
	DetailBytes int
	// DetailValid vouches that Detail is a JSON object within PutEvents'
	// rules (see ValidateObject), so that the simulator need not scan it
	// again: the load generator builds its details so, and sets it. A
	// harness value, like Tag: it is not sent, and a caller that changes
	// the detail must clear it. A model that is not given it (a live
	// client never sets it; busdrill serve never sees it) validates.
	DetailValid bool
	// DetailLazy says the detail was not built: DetailToken is how the
	// simulator builds it (its Params.Details' Unpack) when something
	// reads it — a pattern on the detail, a dead-letter queue's messages,
	// an observer or a handler that asks for it — and DetailBytes is its
	// exact size meanwhile. A harness value, like Tag: the load generator
	// leaves unbuilt the details nothing of a run would read.
	DetailLazy  bool
	DetailToken uint64
	Resources   []string
	// Time is optional; the zero value means "the time of the call".
	Time time.Time
	// TraceHeader is carried but not counted in the size and never
	// delivered in the event body.
	TraceHeader string
	// Tag is an opaque correlation value for the harness, not part of the
	// AWS request: it is not sent, not counted in the size and never
	// delivered in the event body. The simulator copies it to every
	// observation of the event (and to a handler's call), so that the
	// harness can correlate what it observes without parsing the detail;
	// a live run ignores it and correlates through detail.metadata. Zero
	// means untagged.
	Tag uint64
}

// Result is one per-entry result of PutEvents (PutEventsResultEntry):
// either EventID is set, or ErrorCode and ErrorMessage are.
type Result struct {
	EventID      string
	ErrorCode    string
	ErrorMessage string
}

// Failed reports whether the entry was rejected.
func (r Result) Failed() bool { return r.ErrorCode != "" }

// MaxEntriesPerRequest is the PutEvents batch limit of a classic bus.
const MaxEntriesPerRequest = 10

// Per-entry error codes PutEvents answers with (PutEventsResultEntry.ErrorCode).
const (
	CodeInternalFailure     = "InternalFailure"
	CodeThrottling          = "ThrottlingException"
	CodeAccessDenied        = "AccessDeniedException"
	CodeInvalidAccountID    = "InvalidAccountIdException"
	CodeInvalidArgument     = "InvalidArgument"
	CodeMalformedDetail     = "MalformedDetail"
	CodeNotAuthorizedSource = "NotAuthorizedForSourceException"
)

// Retryable reports whether a per-entry error code is one a caller may
// resend (the API documents InternalFailure and ThrottlingException).
func Retryable(code string) bool {
	return code == CodeInternalFailure || code == CodeThrottling
}

// Messages AWS returns for invalid entries, copied exactly.
const (
	MsgSourceRequired     = "Parameter Source is not valid. Reason: Source is a required argument."
	MsgDetailTypeRequired = "Parameter DetailType is not valid. Reason: DetailType is a required argument."
	MsgDetailRequired     = "Parameter Detail is not valid. Reason: Detail is a required argument."
	MsgDetailMalformed    = "Detail is malformed."
	MsgTooManyEntries     = "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10"
	MsgRequestTooLarge    = "Total size of the entries in the request is over the limit."
)
