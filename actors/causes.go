package actors

import "github.com/busdrill/busdrill/event"

// Causes of entries a producer gave up, in every world.
const (
	// CauseThrottled: a request or entry throttled (ThrottlingException)
	// after the producer's retries and resends.
	CauseThrottled = "throttled"
	// CauseOversized: an entry over the request size limit (never built,
	// when it is over every limit: see loadgen.FactoryConfig).
	CauseOversized = "oversized"
)

// GiveUpCause names why a producer gave an entry up, from the error code
// (and message) of its last attempt: throttling and an oversized request
// have names of their own; any other code is its own cause
// (AccessDeniedException, InternalFailure, ...).
func GiveUpCause(code, message string) string {
	switch {
	case code == event.CodeThrottling:
		return CauseThrottled
	case code == "ValidationException" && message == event.MsgRequestTooLarge, code == CauseOversized:
		return CauseOversized
	}
	return code
}
