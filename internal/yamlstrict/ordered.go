package yamlstrict

import (
	"gopkg.in/yaml.v3"
)

// Entry is one key-value pair of an Ordered mapping, with the position
// of its key.
type Entry[T any] struct {
	Key   string
	Value T
	Pos   Pos
}

// Ordered is a YAML mapping of string keys to T that keeps the document
// order. Use it instead of a Go map wherever order can reach behaviour or
// output (Go randomises map iteration). Duplicate keys are refused as in
// every mapping.
type Ordered[T any] []Entry[T]

// UnmarshalStrictYAML implements Unmarshaler.
func (o *Ordered[T]) UnmarshalStrictYAML(d *Decoder, n *yaml.Node, path string) error {
	if !d.Expect(n, path, yaml.MappingNode) {
		return nil
	}
	es := d.entries(n, path)
	out := make(Ordered[T], 0, len(es))
	for _, e := range es {
		if isNull(d.Resolve(e.keyNode, path)) {
			d.Errorf(e.keyNode, path, "keys cannot be empty or null")
			continue
		}
		var v T
		d.Decode(e.value, Key(path, e.key), &v)
		out = append(out, Entry[T]{Key: e.key, Value: v, Pos: d.Pos(e.keyNode)})
	}
	*o = out
	return nil
}

// Get returns the value of key.
func (o Ordered[T]) Get(key string) (T, bool) {
	for _, e := range o {
		if e.Key == key {
			return e.Value, true
		}
	}
	var zero T
	return zero, false
}

// Keys returns the keys in document order.
func (o Ordered[T]) Keys() []string {
	out := make([]string, len(o))
	for i, e := range o {
		out[i] = e.Key
	}
	return out
}

// StrictJSONSchema implements SchemaProvider: an object whose values are
// T.
func (Ordered[T]) StrictJSONSchema(g *SchemaGenerator) map[string]any {
	return map[string]any{"type": "object", "additionalProperties": g.Of(typeOf[T]())}
}
