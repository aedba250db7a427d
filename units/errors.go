package units

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// ParseError reports a value that could not be parsed. Its message names
// the kind of value, quotes the input and says what is wrong:
//
//	invalid rate "20/x": unit must be /s, /m or /h
type ParseError struct {
	Kind  string // "duration", "rate", "byte size", "probability", "distribution", "size distribution"
	Input string // the text as written
	Msg   string // what is wrong, without the kind and input
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("invalid %s %q: %s", e.Kind, e.Input, e.Msg)
}

func newParseError(kind, input, format string, args ...any) *ParseError {
	return &ParseError{Kind: kind, Input: input, Msg: fmt.Sprintf(format, args...)}
}

// reason returns the part of err that says what is wrong: the Msg of a
// *ParseError, or the whole text of any other error.
func reason(err error) string {
	var pe *ParseError
	if errors.As(err, &pe) {
		return pe.Msg
	}
	return err.Error()
}

// unmarshalJSONScalar decodes the JSON forms every unit accepts: a string
// holding the scenario syntax, or a bare JSON number (passed to parse as
// written, so 0.005 and 512 work). null leaves the value unchanged, as
// encoding/json does for other types.
func unmarshalJSONScalar(kind string, data []byte, parse func(string) error) error {
	data = bytes.TrimSpace(data)
	switch {
	case string(data) == "null":
		return nil
	case len(data) > 0 && data[0] == '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		return parse(s)
	case len(data) > 0 && (data[0] == '-' || data[0] >= '0' && data[0] <= '9') && json.Valid(data):
		return parse(string(data))
	}
	return fmt.Errorf("invalid %s: expected a JSON string, got %s", kind, truncate(string(data), 40))
}

func marshalJSONString(s string) ([]byte, error) { return json.Marshal(s) }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
