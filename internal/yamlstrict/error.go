package yamlstrict

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Pos is a place in a file: 1-based line and column (in characters, as
// yaml.v3 counts them). A zero Line means the position is unknown.
type Pos struct {
	File   string
	Line   int
	Column int
}

// IsZero reports whether p is unknown.
func (p Pos) IsZero() bool { return p.Line == 0 }

// String renders p as file:line:col, leaving out what is unknown.
func (p Pos) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		if b.Len() > 0 {
			b.WriteByte(':')
		}
		b.WriteString(strconv.Itoa(p.Line))
		if p.Column > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(p.Column))
		}
	}
	return b.String()
}

// Errorf returns an *Error at p about the value at path. Values the
// message quotes are clipped (see clipMessage).
func (p Pos) Errorf(path, format string, args ...any) *Error {
	return &Error{File: p.File, Line: p.Line, Column: p.Column, Path: clipMessage(path), Msg: clipMessage(fmt.Sprintf(format, args...))}
}

// Bounds of what a message echoes back.
const (
	// maxQuoted is how many bytes of a quoted value a message keeps.
	maxQuoted = 64
	// maxMessage bounds a whole message.
	maxMessage = 1000
)

var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// clipMessage shortens what a message echoes of its input: every quoted
// string (as %q writes it) over 64 bytes keeps its start and says how
// long it was, and the whole message stops at 1,000 bytes. A value echoed
// back is there to be recognised; a 10 MB name must not become a 10 MB
// line.
func clipMessage(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	s = quoted.ReplaceAllStringFunc(s, func(q string) string {
		if len(q) <= maxQuoted+2 {
			return q
		}
		cut := maxQuoted
		if i := strings.LastIndexByte(q[cut-10:cut], '\\'); i >= 0 {
			cut -= 10 - i // never split an escape sequence
		}
		for cut > 1 && !utf8.RuneStart(q[cut]) {
			cut--
		}
		return q[:cut] + `…" (` + strconv.Itoa(len(q)-2) + " bytes)"
	})
	if len(s) > maxMessage {
		cut := maxMessage
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "… (message shortened)"
	}
	return s
}

// Error is one problem in a document: where it is (File, Line, Column),
// which value it is about (Path, e.g. "traffic.stages[2].rate"; empty for
// the document as a whole) and what is wrong (Msg). It prints as
//
//	scenarios/foo.yaml:12:5: traffic.stages[2].rate: invalid rate "20/x": unit must be /s, /m or /h
type Error struct {
	File   string
	Line   int // 1-based; 0 when unknown
	Column int // 1-based; 0 when unknown
	Path   string
	Msg    string
	// more is set on the last line of a list cut at MaxErrors: how many
	// problems it stands for.
	more int
}

// Pos returns where e is.
func (e *Error) Pos() Pos { return Pos{File: e.File, Line: e.Line, Column: e.Column} }

func (e *Error) Error() string {
	var b strings.Builder
	if where := e.Pos().String(); where != "" {
		b.WriteString(where)
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in a document, in the order Sort gives:
// by file, line and column, then in the order they were found. Decode
// returns a sorted Errors (never an empty one: no problems is nil).
type Errors []*Error

// Error prints one problem per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap gives errors.Is and errors.As access to each problem.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// sortByPosition orders es by file, line and column, keeping the order of problems
// found at the same place.
func (es Errors) sortByPosition() {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

// Err returns es sorted, or nil when es is empty; use it as the error
// result of a validation that collected problems in an Errors. Past
// MaxErrors problems, the last line says how many more there were.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	es.sortByPosition()
	return es.capped()
}

// capped keeps the first MaxErrors problems and a last line counting the
// rest (a line that already counted some, from an earlier cut, adds them).
func (es Errors) capped() Errors {
	if len(es) <= MaxErrors || len(es) == MaxErrors+1 && es[MaxErrors].more > 0 {
		return es
	}
	more := 0
	for _, e := range es[MaxErrors-1:] {
		more += max(e.more, 1)
	}
	more-- // the last one shown is not "more"
	last := es[MaxErrors-1]
	return append(es[:MaxErrors:MaxErrors], &Error{File: last.File, Line: last.Line, Column: last.Column,
		Msg: fmt.Sprintf("too many problems: %d more not shown", more), more: more})
}

// Add appends err to es: the problems of an Errors or *Error as they are,
// any other error as a problem at pos about path. nil is ignored.
func (es *Errors) Add(pos Pos, path string, err error) {
	if err == nil {
		return
	}
	var list Errors
	var one *Error
	switch {
	case errors.As(err, &list):
		*es = append(*es, list...)
	case errors.As(err, &one):
		*es = append(*es, one)
	default:
		*es = append(*es, pos.Errorf(path, "%s", err.Error()))
	}
}

// Key returns the path of field key under path: "traffic" + "stages" is
// "traffic.stages". Keys that are not plain words are quoted:
// "accounts" + "a.b" is `accounts["a.b"]`.
func Key(path, key string) string {
	if !plainKey(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// Index returns the path of element i (0-based) of the list at path:
// "traffic.stages" + 2 is "traffic.stages[2]".
func Index(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

func plainKey(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}
