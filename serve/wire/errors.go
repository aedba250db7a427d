package wire

import (
	"strconv"

	"github.com/busdrill/busdrill/event"
)

// Error is an API error as the wire carries it.
type Error struct {
	// Code is the exception name (EventBridge, STS) or the JSON shape
	// name (SQS: "QueueDoesNotExist").
	Code    string
	Message string
	// Status is the HTTP status; 0 means 400.
	Status int
	// QueryCode is SQS's query-protocol code for X-Amzn-Query-Error
	// ("AWS.SimpleQueueService.NonExistentQueue"); "" uses Code.
	QueryCode string
	// Receiver marks a server fault (query protocols' Type Receiver).
	Receiver bool
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// HTTPStatus returns Status, or 400.
func (e *Error) HTTPStatus() int {
	if e.Status == 0 {
		return 400
	}
	return e.Status
}

// Errorf builds a client error (HTTP 400).
func Errorf(code, msg string) *Error { return &Error{Code: code, Message: msg} }

// Common errors of the three services.
var (
	// ErrThrottled is the answer when a caller's request rate is over its
	// quota: HTTP 400 ThrottlingException, which the SDKs retry.
	ErrThrottled = &Error{Code: event.CodeThrottling, Message: "Rate exceeded"}
)

// UnknownOperation is each service's answer to an operation it does not
// have: UnknownOperationException (EventBridge, SQS's JSON protocol) or
// InvalidAction (query protocol).
func UnknownOperation(op string) *Error {
	return &Error{Code: "UnknownOperationException", Message: "Operation " + strconv.Quote(op) + " is not supported by busdrill serve."}
}

// MissingAuth is the answer to an unsigned request.
func MissingAuth() *Error {
	return &Error{Code: "MissingAuthenticationTokenException", Message: "Missing Authentication Token", Status: 403}
}

// Validation is a ValidationException with AWS's constraint wording.
func Validation(msg string) *Error { return &Error{Code: "ValidationException", Message: msg} }
