package scenarios

import (
	"encoding/json"
	"math"
	"math/big"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/internal/yamlstrict"
	"github.com/busdrill/busdrill/pattern"
)

// PatternText is an event pattern in a scenario file. It may be written as
// a YAML mapping, the readable form:
//
//	pattern:
//	  detail-type: [Order.Created]
//	  account: [{anything-but: "111111111111"}]
//
// or as a JSON string, exactly as it would be given to PutRule:
//
//	pattern: '{"detail-type": ["Order.Created"]}'
//
// Either way it becomes JSON text; the pattern engine then validates it with
// EventBridge's own rules and messages.
type PatternText struct {
	JSON string
	Pos  yamlstrict.Pos
}

// IsZero reports whether no pattern was given.
func (p PatternText) IsZero() bool { return p.JSON == "" }

// UnmarshalStrictYAML implements yamlstrict.Unmarshaler.
func (p *PatternText) UnmarshalStrictYAML(d *yamlstrict.Decoder, n *yaml.Node, path string) error {
	p.Pos = d.Pos(n)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" {
		p.JSON = n.Value
		return nil
	}
	if n.Kind != yaml.MappingNode {
		d.Errorf(n, path, "a pattern must be a mapping or a JSON string")
		return nil
	}
	b, ok := appendYAMLAsJSON(nil, d, n, path)
	if ok {
		p.JSON = string(b)
	}
	return nil
}

// maxPatternBytes bounds the JSON text built from a YAML pattern: 4 bytes
// per character of the API's limit, so that a pattern this long is over
// the limit however its characters are encoded, and building stops there
// (aliases can make a short file expand to a huge pattern).
const maxPatternBytes = 4 * pattern.MaxPatternSize

// JSONSchema implements yamlstrict.ScalarSchema.
func (PatternText) JSONSchema() map[string]any {
	return map[string]any{
		"description": "An EventBridge event pattern: a mapping, or a JSON string.",
		"type":        []any{"object", "string"},
	}
}

// appendYAMLAsJSON converts a YAML node into JSON text, keeping the order
// of mapping keys (and repeated keys, which EventBridge resolves itself).
//
// Every node is charged to the file's decoding budget (aliases included),
// and the text is measured as it grows: a pattern that would be longer
// than the API accepts is reported as soon as it is, never built whole.
func appendYAMLAsJSON(dst []byte, d *yamlstrict.Decoder, n *yaml.Node, path string) ([]byte, bool) {
	n = d.Resolve(n, path)
	if n == nil || !d.Enter(n, path) {
		return dst, false
	}
	defer d.Leave()
	if len(dst) > maxPatternBytes {
		d.Errorf(n, path, "the pattern is longer than %d characters, the most PutRule accepts", pattern.MaxPatternSize)
		return dst, false
	}
	switch n.Kind {
	case yaml.MappingNode:
		dst = append(dst, '{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				dst = append(dst, ',')
			}
			k := n.Content[i]
			dst = event.AppendJSONString(dst, k.Value)
			dst = append(dst, ':')
			var ok bool
			if dst, ok = appendYAMLAsJSON(dst, d, n.Content[i+1], yamlstrict.Key(path, k.Value)); !ok {
				return dst, false
			}
		}
		return append(dst, '}'), true
	case yaml.SequenceNode:
		dst = append(dst, '[')
		for i, c := range n.Content {
			if i > 0 {
				dst = append(dst, ',')
			}
			var ok bool
			if dst, ok = appendYAMLAsJSON(dst, d, c, yamlstrict.Index(path, i)); !ok {
				return dst, false
			}
		}
		return append(dst, ']'), true
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return append(dst, "null"...), true
		case "!!bool":
			if n.Value == "true" || n.Value == "false" {
				return append(dst, n.Value...), true
			}
		case "!!int":
			if v, ok := new(big.Int).SetString(n.Value, 0); ok {
				return v.Append(dst, 10), true
			}
		case "!!float":
			if json.Valid([]byte(n.Value)) {
				return append(dst, n.Value...), true
			}
			if f, err := strconv.ParseFloat(n.Value, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
				return strconv.AppendFloat(dst, f, 'g', -1, 64), true
			}
			d.Errorf(n, path, "%s is not a JSON number", n.Value)
			return dst, false
		case "!!str":
			return event.AppendJSONString(dst, n.Value), true
		}
		d.Errorf(n, path, "cannot use %q (%s) in a pattern", n.Value, n.Tag)
		return dst, false
	}
	d.Errorf(n, path, "unsupported YAML in a pattern")
	return dst, false
}
