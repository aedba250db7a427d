package yamlstrict

import (
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strings"
)

// SchemaProvider is implemented by types whose JSON Schema needs the
// schemas of other Go types: unions (a oneOf of their variant structs)
// and generic containers. g.Of gives the schema of any Go type.
type SchemaProvider interface {
	StrictJSONSchema(g *SchemaGenerator) map[string]any
}

// ScalarSchema is implemented by scalar types (units.Duration, ...) to
// describe their accepted forms: a type, a pattern, examples, a
// description. The map is copied, never modified.
type ScalarSchema interface {
	JSONSchema() map[string]any
}

var (
	schemaProviderType = reflect.TypeFor[SchemaProvider]()
	scalarSchemaType   = reflect.TypeFor[ScalarSchema]()
)

// SchemaGenerator builds the JSON Schema of Go types with the rules the
// decoder applies. Named struct types go into $defs once and are
// referenced, so recursive types work.
type SchemaGenerator struct {
	root  reflect.Type
	defs  map[string]any
	names map[reflect.Type]string
	used  map[string]reflect.Type
	errs  []string
}

// draftURI is the JSON Schema dialect Schema produces.
const draftURI = "https://json-schema.org/draft/2020-12/schema"

// Schema returns the JSON Schema (draft 2020-12) of root's type, the type
// Decode fills: every struct closed (additionalProperties false), required
// fields listed, enum and doc tags applied, custom scalars described by
// their JSONSchema method. The output is indented JSON with sorted keys,
// the same bytes for the same types.
func Schema(root any, id, title string) ([]byte, error) {
	t := reflect.TypeOf(root)
	if t == nil {
		return nil, fmt.Errorf("yamlstrict: Schema needs a value of the root type, got nil")
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	g := &SchemaGenerator{root: t, defs: map[string]any{}, names: map[reflect.Type]string{}, used: map[string]reflect.Type{}}
	s := g.build(t)
	if len(g.errs) > 0 {
		return nil, fmt.Errorf("yamlstrict: cannot describe %s: %s", t, strings.Join(g.errs, "; "))
	}
	s["$schema"] = draftURI
	if id != "" {
		s["$id"] = id
	}
	if title != "" {
		s["title"] = title
	}
	if len(g.defs) > 0 {
		s["$defs"] = g.defs
	}
	out, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// Of returns the schema of Go type t as the decoder reads it: a $ref for
// named structs, the schema itself otherwise. Unsupported types are
// recorded and make Schema fail.
func (g *SchemaGenerator) Of(t reflect.Type) map[string]any {
	if t == g.root {
		return map[string]any{"$ref": "#"}
	}
	if t.Kind() == reflect.Struct && t.Name() != "" && !implementsAny(t, schemaProviderType, scalarSchemaType, scalarUnmarshalerType, textUnmarshalerType) {
		name, ok := g.names[t]
		if !ok {
			name = g.defName(t)
			g.names[t] = name
			g.defs[name] = map[string]any{} // placeholder for recursion
			g.defs[name] = g.build(t)
		}
		return map[string]any{"$ref": "#/$defs/" + name}
	}
	return g.build(t)
}

func implementsAny(t reflect.Type, ifaces ...reflect.Type) bool {
	pt := reflect.PointerTo(t)
	for _, i := range ifaces {
		if t.Implements(i) || pt.Implements(i) {
			return true
		}
	}
	return false
}

var unsafeDefChars = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// defName names t in $defs: its Go name, qualified by its package when
// two types share a name.
func (g *SchemaGenerator) defName(t reflect.Type) string {
	name := unsafeDefChars.ReplaceAllString(t.Name(), "_")
	if other, taken := g.used[name]; taken && other != t {
		pkg := t.PkgPath()
		pkg = pkg[strings.LastIndex(pkg, "/")+1:]
		name = unsafeDefChars.ReplaceAllString(pkg+"."+t.Name(), "_")
		for i := 2; g.used[name] != nil; i++ {
			name = fmt.Sprintf("%s.%d", unsafeDefChars.ReplaceAllString(pkg+"."+t.Name(), "_"), i)
		}
	}
	g.used[name] = t
	return name
}

// newValue returns a zero value of t to call schema methods on.
func newValue(t reflect.Type) any { return reflect.New(t).Interface() }

func (g *SchemaGenerator) build(t reflect.Type) map[string]any {
	if reflect.PointerTo(t).Implements(schemaProviderType) {
		return copyMap(newValue(t).(SchemaProvider).StrictJSONSchema(g))
	}
	if reflect.PointerTo(t).Implements(scalarSchemaType) {
		return copyMap(newValue(t).(ScalarSchema).JSONSchema())
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		g.errs = append(g.errs, fmt.Sprintf("%s implements UnmarshalStrictYAML but neither StrictJSONSchema nor JSONSchema", t))
		return map[string]any{}
	}
	if reflect.PointerTo(t).Implements(scalarUnmarshalerType) || reflect.PointerTo(t).Implements(reflect.TypeFor[encoding.TextUnmarshaler]()) {
		return map[string]any{"type": "string"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.Of(t.Elem())
	case reflect.Struct:
		return g.structSchema(t)
	case reflect.Slice:
		return map[string]any{"type": "array", "items": g.Of(t.Elem())}
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			g.errs = append(g.errs, fmt.Sprintf("%s: map keys must be strings", t))
		}
		return map[string]any{"type": "object", "additionalProperties": g.Of(t.Elem())}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int8, reflect.Int16, reflect.Int32:
		bits := t.Bits()
		return map[string]any{"type": "integer", "minimum": int64(-1) << (bits - 1), "maximum": int64(1)<<(bits-1) - 1}
	case reflect.Int, reflect.Int64:
		return map[string]any{"type": "integer"}
	case reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return map[string]any{"type": "integer", "minimum": 0, "maximum": uint64(math.MaxUint64) >> (64 - t.Bits())}
	case reflect.Uint, reflect.Uint64, reflect.Uintptr:
		return map[string]any{"type": "integer", "minimum": 0}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return map[string]any{}
		}
	}
	g.errs = append(g.errs, fmt.Sprintf("unsupported Go type %s", t))
	return map[string]any{}
}

func (g *SchemaGenerator) structSchema(t reflect.Type) map[string]any {
	si := structInfoOf(t)
	if si.err != nil {
		g.errs = append(g.errs, si.err.Error())
		return map[string]any{}
	}
	props := map[string]any{}
	required := []any{}
	for _, f := range si.fields {
		s := copyMap(g.Of(f.typ))
		if f.doc != "" {
			s["description"] = f.doc
		}
		if len(f.enum) > 0 {
			enum := make([]any, len(f.enum))
			for i, e := range f.enum {
				enum[i] = e
			}
			target := s
			if items, ok := s["items"].(map[string]any); ok && s["type"] == "array" {
				target = copyMap(items)
				s["items"] = target
			}
			target["enum"] = enum
		}
		props[f.key] = s
		if f.required {
			required = append(required, f.key)
		}
	}
	s := map[string]any{
		"type":                 "object",
		"properties":           props,
		"patternProperties":    map[string]any{"^" + extensionPrefix: true},
		"additionalProperties": false,
	}
	if si.inlineMap != nil {
		s["additionalProperties"] = g.Of(t.FieldByIndex(si.inlineMap).Type.Elem())
	}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

// copyMap returns a shallow copy of m, so that adding a description never
// changes a map a type returned (or a shared $ref).
func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}
