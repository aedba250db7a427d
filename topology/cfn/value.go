package cfn

import (
	"strconv"

	"github.com/busdrill/busdrill/event"
)

// Kind is the type of a [Value].
type Kind uint8

// Kinds of values. The first six are JSON's; Opaque and NoValue appear
// only in evaluated values.
const (
	Null Kind = iota
	Bool
	Number
	String
	List
	Map
	// Opaque is a value CloudFormation knows only at deployment (an
	// attribute of a resource type busdrill does not model, a generated
	// id). Its Text describes it ("AWS::SNS::Topic Alerts.TopicArn") and
	// Origin names the logical id it comes from.
	Opaque
	// NoValue is Ref AWS::NoValue: the property or list item is removed.
	NoValue
)

var kindNames = [...]string{"null", "boolean", "number", "string", "list", "mapping", "deploy-time value", "AWS::NoValue"}

func (k Kind) String() string { return kindNames[k] }

// Value is a node of a template, or the result of evaluating one. Maps
// keep the order of their keys, so an event pattern is written back the
// way the template wrote it.
type Value struct {
	Kind Kind
	// Text is the string, the number's JSON text, "true"/"false", or an
	// Opaque value's description.
	Text string
	// Items are a List's elements.
	Items []*Value
	// Keys and Vals are a Map's entries, in order.
	Keys []string
	Vals []*Value
	// Origin is the logical id (or parameter name) an Opaque value comes
	// from, and Type that resource's type ("" for a parameter or a
	// pseudo parameter).
	Origin, Type string
	// Line and Col locate the node in its template (1-based; 0 when the
	// value was computed).
	Line, Col int
}

// Get returns the value of key in a Map, or nil.
func (v *Value) Get(key string) *Value {
	if v == nil || v.Kind != Map {
		return nil
	}
	for i, k := range v.Keys {
		if k == key {
			return v.Vals[i]
		}
	}
	return nil
}

// Str returns a String's or a Number's text and whether v is one of them.
func (v *Value) Str() (string, bool) {
	if v == nil || (v.Kind != String && v.Kind != Number) {
		return "", false
	}
	return v.Text, true
}

// IsScalarText reports whether v is a String, Number or Bool: a value
// CloudFormation turns into text where text is expected.
func (v *Value) IsScalarText() bool {
	return v != nil && (v.Kind == String || v.Kind == Number || v.Kind == Bool)
}

func str(s string) *Value { return &Value{Kind: String, Text: s} }

// AppendJSON appends v as compact JSON, keys in their order. Opaque and
// NoValue values are never written (the evaluator refuses them first);
// they appear as null so that the output is still JSON.
func (v *Value) AppendJSON(dst []byte) []byte {
	switch v.Kind {
	case Bool, Number:
		return append(dst, v.Text...)
	case String:
		return event.AppendJSONString(dst, v.Text)
	case List:
		dst = append(dst, '[')
		for i, it := range v.Items {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = it.AppendJSON(dst)
		}
		return append(dst, ']')
	case Map:
		dst = append(dst, '{')
		for i, k := range v.Keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = event.AppendJSONString(dst, k)
			dst = append(dst, ':')
			dst = v.Vals[i].AppendJSON(dst)
		}
		return append(dst, '}')
	}
	return append(dst, "null"...)
}

// JSON returns v as compact JSON text.
func (v *Value) JSON() string { return string(v.AppendJSON(nil)) }

// Pos renders the position as "line:col", or "" when unknown.
func (v *Value) Pos() string {
	if v == nil || v.Line == 0 {
		return ""
	}
	return strconv.Itoa(v.Line) + ":" + strconv.Itoa(v.Col)
}

// Path helpers: the paths of errors and notes spell a value's place the
// way CloudFormation's own messages do, "Resources.Rule.Properties.Targets[0].Arn".

func keyPath(base, key string) string {
	if base == "" {
		return key
	}
	return base + "." + key
}

func indexPath(base string, i int) string { return base + "[" + strconv.Itoa(i) + "]" }
