package cfn

import (
	"errors"
	"fmt"
	"strings"
)

// Error is one problem with a template: where it is (file, line, column),
// the path of the value in the template, the logical id of the resource
// (or parameter, condition, output) it belongs to, and what is wrong.
type Error struct {
	File      string
	Line, Col int
	// Path is the value's place, e.g.
	// "Resources.FanOut.Properties.Targets[0].Arn".
	Path string
	// LogicalID is the resource the problem belongs to, when it belongs
	// to one.
	LogicalID string
	Msg       string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Col)
	}
	if e.Path != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Path)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found, in the order found.
type Errors []*Error

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Err returns es as an error, or nil when it is empty.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// ErrInvalid is what errors.Is matches for every error of this package
// that is the input's fault (a malformed or unresolvable template), as
// opposed to an I/O error.
var ErrInvalid = errors.New("invalid template")

// Is makes errors.Is(err, ErrInvalid) true.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

// Is makes errors.Is(err, ErrInvalid) true.
func (es Errors) Is(target error) bool { return target == ErrInvalid }

// evalError is a problem found while evaluating a value: the importer
// adds the file and the resource when it reports it.
type evalError struct {
	path      string
	line, col int
	msg       string
}

func (e *evalError) Error() string { return e.path + ": " + e.msg }

func errAt(v *Value, path, format string, args ...any) *evalError {
	e := &evalError{path: path, msg: fmt.Sprintf(format, args...)}
	if v != nil {
		e.line, e.col = v.Line, v.Col
	}
	return e
}
