package pattern

// Error is the error of Compile and of matching a raw event: an AWS
// exception name and its message, exactly as EventBridge words them, so
// that a report produced from busdrill reads like one from a real account.
type Error struct {
	// Code is the AWS exception name: CodeInvalidEventPattern or
	// CodeValidation.
	Code string
	// Message is the exception's message, e.g. "Event pattern is not valid.
	// Reason: Empty arrays are not allowed". For malformed JSON, AWS's
	// message continues after the reason with a Jackson location
	// (" at [Source: ...; line: 1, column: N]"); ours does too, on the same
	// line.
	Message string
}

// Error returns Code + ": " + Message.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Exception names.
const (
	CodeInvalidEventPattern = "InvalidEventPatternException"
	CodeValidation          = "ValidationException"
)

// reasonPrefix starts every InvalidEventPatternException message.
const reasonPrefix = "Event pattern is not valid. Reason: "

// MsgInvalidEvent is the message of the ValidationException for an event
// TestEventPattern refuses (not a JSON object, malformed, or missing one of
// the mandatory envelope fields).
const MsgInvalidEvent = "Parameter Event is not valid."

func invalidPattern(reason string) *Error {
	return &Error{Code: CodeInvalidEventPattern, Message: reasonPrefix + reason}
}

var errInvalidEvent = &Error{Code: CodeValidation, Message: MsgInvalidEvent}

// ErrInvalidEvent is the error MatchJSON returns for an event AWS would
// refuse. Callers may compare with errors.Is or look at Code.
var ErrInvalidEvent error = errInvalidEvent

// Is makes errors.Is(err, ErrInvalidEvent) work for copies.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && t.Message == e.Message
}
