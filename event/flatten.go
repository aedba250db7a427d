package event

import (
	"errors"
	"unsafe"
)

// Kind is the JSON type of a flattened leaf value.
type Kind uint8

// The leaf kinds. Objects and arrays are never leaves: flattening walks
// through them.
const (
	KindString Kind = iota + 1
	KindNumber
	KindTrue
	KindFalse
	KindNull
)

// String names the kind as JSON does.
func (k Kind) String() string {
	switch k {
	case KindString:
		return "string"
	case KindNumber:
		return "number"
	case KindTrue:
		return "true"
	case KindFalse:
		return "false"
	case KindNull:
		return "null"
	}
	return "invalid"
}

// Field is one leaf of a flattened event: a value found at one of the paths
// of a [PathSet].
//
// Str aliases memory owned by the event being flattened or by the [Flat]
// (unescaped strings, the formatted time): it is valid until the Flat is
// reset or the event bytes are modified, and must be copied to be kept.
type Field struct {
	// Str is the unescaped value of a string, the literal text of a number
	// (as written in the event), or "true", "false", "null".
	Str string
	// Num is the value of a number (KindNumber only). Numbers too large for
	// a float64 are ±Inf here; Str still has their text.
	Num float64
	// Path is the index of the field's path in its PathSet.
	Path int32
	Kind Kind
	// chainStart and chainEnd delimit the field's array chain in
	// Flat.arrays: the (array, index) pairs of every array that encloses it,
	// outermost first.
	chainStart, chainEnd int32
}

// ArrayPos says that a field sits at element Index of the event array with
// id Array. Ids are unique per array within one flattened event.
type ArrayPos struct {
	Array int32
	Index int32
}

// Flat is a flattened event: the leaves at the paths a PathSet asked for,
// in event order. A Flat is reusable scratch space: Reset it (the Flatten
// methods do) and its buffers are kept, so flattening allocates nothing in
// steady state. A Flat is not safe for concurrent use.
type Flat struct {
	Fields []Field
	// Top records which of the envelope's mandatory fields (TopID ...
	// TopDetailType) were present at the top level of a raw event; see
	// [Flat.HasMandatory].
	Top uint16

	arrays  []ArrayPos
	chain   []ArrayPos // array chain of the value being scanned
	buf     []byte     // unescaped strings, formatted time
	keyBuf  []byte     // an unescaped key
	stack   []frame
	nextArr int32
}

// Bits of Flat.Top.
const (
	TopID uint16 = 1 << iota
	TopAccount
	TopSource
	TopTime
	TopRegion
	TopResources
	TopDetailType
	TopDetail
	TopVersion
)

// MandatoryTop are the top-level fields TestEventPattern insists on. AWS
// documents resources as mandatory too, but events without it were accepted
// in recordings against real AWS (see the pattern package docs), so it is
// not in the set.
const MandatoryTop = TopID | TopAccount | TopSource | TopTime | TopRegion | TopDetailType

// HasMandatory reports whether a raw event had every field in MandatoryTop.
func (f *Flat) HasMandatory() bool { return f.Top&MandatoryTop == MandatoryTop }

// Reset empties f, keeping its buffers.
func (f *Flat) Reset() {
	f.Fields = f.Fields[:0]
	f.arrays = f.arrays[:0]
	f.chain = f.chain[:0]
	f.buf = f.buf[:0]
	f.stack = f.stack[:0]
	f.nextArr = 0
	f.Top = 0
}

// Chain returns the arrays enclosing fl, outermost first. Two fields can be
// matched together only if they agree on the index of every array they
// share (see [Consistent]).
func (f *Flat) Chain(fl *Field) []ArrayPos { return f.arrays[fl.chainStart:fl.chainEnd] }

// InArray reports whether fl sits inside any array.
func (fl *Field) InArray() bool { return fl.chainEnd > fl.chainStart }

// Consistent reports whether fields a and b can belong to one match: for
// every event array that encloses both, they are in the same element.
// Arrays form a tree, so the arrays two fields share are a common prefix of
// their chains, and the first differing array ends the comparison.
func (f *Flat) Consistent(a, b *Field) bool {
	ca := f.arrays[a.chainStart:a.chainEnd]
	cb := f.arrays[b.chainStart:b.chainEnd]
	n := min(len(ca), len(cb))
	for i := 0; i < n; i++ {
		if ca[i].Array != cb[i].Array {
			return true
		}
		if ca[i].Index != cb[i].Index {
			return false
		}
	}
	return true
}

// emit appends a leaf at path with the current array chain.
func (f *Flat) emit(path int32, kind Kind, s string, num float64) {
	start := int32(len(f.arrays))
	f.arrays = append(f.arrays, f.chain...)
	f.Fields = append(f.Fields, Field{Str: s, Num: num, Path: path, Kind: kind, chainStart: start, chainEnd: int32(len(f.arrays))})
}

// bytesString aliases b as a string without copying. b must not change
// while the string is in use.
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// Errors of FlattenJSON. They all mean "not an acceptable event"; callers
// that mimic TestEventPattern report them as one ValidationException.
var (
	ErrNotObject = errors.New("event: not a JSON object")
	ErrSyntax    = errors.New("event: malformed JSON")
	ErrTooDeep   = errors.New("event: nesting deeper than 1000 levels")
	ErrIntRange  = errors.New("event: integer outside the signed 64-bit range")
)

// MaxDepth is the deepest nesting of objects and arrays an event may have
// (PutEvents processes nesting only up to 1000 levels).
const MaxDepth = 1000
