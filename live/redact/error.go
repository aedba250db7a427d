package redact

import (
	"fmt"
	"io"
)

// Error wraps err so that formatting it never shows a credential. It
// returns nil for nil and does not wrap twice.
func Error(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(*redactedError); ok {
		return err
	}
	return &redactedError{err: err}
}

type redactedError struct{ err error }

func (e *redactedError) Error() string { return String(e.err.Error()) }

// Unwrap keeps errors.Is/As working on the original chain.
func (e *redactedError) Unwrap() error { return e.err }

// Format prints the redacted message for every verb, so %+v and %#v cannot
// reach the wrapped error's fields.
func (e *redactedError) Format(f fmt.State, verb rune) {
	switch verb {
	case 'q':
		fmt.Fprintf(f, "%q", e.Error())
	default:
		io.WriteString(f, e.Error())
	}
}

// GoString is used by %#v when Format is bypassed.
func (e *redactedError) GoString() string { return e.Error() }
