package yamlstrict

import (
	"encoding"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/busdrill/busdrill/internal/suggest"
	"gopkg.in/yaml.v3"
)

var (
	unmarshalerType       = reflect.TypeFor[Unmarshaler]()
	scalarUnmarshalerType = reflect.TypeFor[ScalarUnmarshaler]()
	textUnmarshalerType   = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// extensionPrefix starts keys that the decoder skips in every mapping
// decoded into a struct: a place to define anchors ("x-defaults: &d
// {...}") or notes for other tools, as in Compose files. They are never
// read, so no typo can hide behind them: "x-" is not a prefix of any
// field.
const extensionPrefix = "x-"

// decode decodes n into v, which is addressable, reporting problems under
// path. It is the one dispatch point of the decoder.
func (d *Decoder) decode(n *yaml.Node, path string, v reflect.Value) {
	if !d.enter(n, path) {
		return
	}
	defer d.leave()
	n = d.Resolve(n, path)
	if n == nil {
		return
	}
	if n.Anchor != "" {
		if d.active == nil {
			d.active = map[*yaml.Node]bool{}
		}
		d.active[n] = true
		defer delete(d.active, n)
	}
	if bad := unsupportedTag(n); bad != "" {
		d.Errorf(n, path, "unsupported YAML tag %s", bad)
		return
	}
	t := v.Type()
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		err := v.Addr().Interface().(Unmarshaler).UnmarshalStrictYAML(d, n, path)
		d.errs.Add(d.Pos(n), path, err)
		return
	}
	if t.Kind() == reflect.Pointer {
		if isNull(n) {
			v.SetZero()
			return
		}
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		d.decode(n, path, v.Elem())
		return
	}
	pt := reflect.PointerTo(t)
	if pt.Implements(scalarUnmarshalerType) || pt.Implements(textUnmarshalerType) {
		d.decodeCustomScalar(n, path, v)
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		d.decodeStruct(n, path, v)
	case reflect.Slice:
		d.decodeSlice(n, path, v)
	case reflect.Map:
		d.decodeMap(n, path, v)
	case reflect.String:
		if d.scalar(n, path, "a string") {
			v.SetString(n.Value)
		}
	case reflect.Bool:
		d.decodeBool(n, path, v)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		d.decodeInt(n, path, v)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		d.decodeUint(n, path, v)
	case reflect.Float32, reflect.Float64:
		d.decodeFloat(n, path, v)
	case reflect.Interface:
		if t.NumMethod() != 0 {
			d.Errorf(n, path, "cannot decode into Go type %s: an interface needs an UnmarshalStrictYAML method on its holder (a bug in the program, not in the file)", t)
			return
		}
		if x := d.decodeAny(n, path); x != nil {
			v.Set(reflect.ValueOf(x))
		} else {
			v.SetZero()
		}
	default:
		d.Errorf(n, path, "cannot decode into Go type %s (a bug in the program, not in the file)", t)
	}
}

func (d *Decoder) decodeStruct(n *yaml.Node, path string, v reflect.Value) {
	si := structInfoOf(v.Type())
	if si.err != nil {
		d.Errorf(n, path, "cannot decode into Go type %s: %v (a bug in the program, not in the file)", v.Type(), si.err)
		return
	}
	if n.Kind != yaml.MappingNode {
		d.Errorf(n, path, "expected a mapping, got %s", describe(n))
		return
	}
	present := make([]bool, len(si.fields))
	var keys []keyOrigin
	for _, e := range d.entries(n, path) {
		i, ok := si.byKey[e.key]
		if !ok {
			if strings.HasPrefix(e.key, extensionPrefix) {
				continue
			}
			if si.inlineMap != nil {
				d.decodeMapEntry(e, path, v.FieldByIndex(si.inlineMap))
				keys = append(keys, keyOrigin{e.key, d.Pos(e.value)})
				continue
			}
			d.unknownKey(e, path, si)
			continue
		}
		f := &si.fields[i]
		present[i] = true
		keys = append(keys, keyOrigin{e.key, d.Pos(e.value)})
		fpath := Key(path, e.key)
		if len(f.enum) > 0 && !d.checkEnum(e.value, fpath, f) {
			continue
		}
		d.decode(e.value, fpath, v.FieldByIndex(f.index))
	}
	for i, f := range si.fields {
		if f.required && !present[i] {
			d.Errorf(n, path, "missing required field %q", f.key)
		}
	}
	pos := d.Pos(n)
	for _, idx := range si.pos {
		v.FieldByIndex(idx).Set(reflect.ValueOf(pos))
	}
	for _, idx := range si.origin {
		v.FieldByIndex(idx).Set(reflect.ValueOf(Origin{Pos: pos, Path: path, keys: keys}))
	}
}

func (d *Decoder) unknownKey(e entry, path string, si *structInfo) {
	keys := si.keys()
	if s := suggest.Closest(e.key, keys); s != "" {
		d.Errorf(e.keyNode, path, "unknown field %q; did you mean %q?", e.key, s)
		return
	}
	switch {
	case len(keys) == 0:
		d.Errorf(e.keyNode, path, "unknown field %q (no fields are allowed here)", e.key)
	case len(keys) <= 12:
		d.Errorf(e.keyNode, path, "unknown field %q (allowed: %s)", e.key, strings.Join(keys, ", "))
	default:
		d.Errorf(e.keyNode, path, "unknown field %q", e.key)
	}
}

// checkEnum reports values of n outside f.enum: n itself when it is a
// scalar, or each element when it is a list. It returns false when it
// reported something.
func (d *Decoder) checkEnum(n *yaml.Node, path string, f *field) bool {
	n = d.Resolve(n, path)
	if n == nil {
		return false
	}
	check := func(s *yaml.Node, p string) bool {
		if s.Kind != yaml.ScalarNode || isNull(s) {
			return true // the decoder reports the type
		}
		for _, e := range f.enum {
			if s.Value == e {
				return true
			}
		}
		msg := fmt.Sprintf("invalid value %q (expected one of: %s)", s.Value, strings.Join(f.enum, ", "))
		if sug := suggest.Closest(s.Value, f.enum); sug != "" {
			msg = fmt.Sprintf("invalid value %q; did you mean %q? (expected one of: %s)", s.Value, sug, strings.Join(f.enum, ", "))
		}
		d.Errorf(s, p, "%s", msg)
		return false
	}
	if n.Kind == yaml.SequenceNode {
		ok := true
		for i, c := range n.Content {
			if rc := d.Resolve(c, path); rc != nil {
				ok = check(rc, Index(path, i)) && ok
			}
		}
		return ok
	}
	return check(n, path)
}

func (d *Decoder) decodeSlice(n *yaml.Node, path string, v reflect.Value) {
	if n.Kind != yaml.SequenceNode {
		d.Errorf(n, path, "expected a list, got %s", describe(n))
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, c := range n.Content {
		d.decode(c, Index(path, i), s.Index(i))
	}
	v.Set(s)
}

func (d *Decoder) decodeMap(n *yaml.Node, path string, v reflect.Value) {
	t := v.Type()
	if t.Key().Kind() != reflect.String {
		d.Errorf(n, path, "cannot decode into Go type %s: map keys must be strings (a bug in the program, not in the file)", t)
		return
	}
	if n.Kind != yaml.MappingNode {
		d.Errorf(n, path, "expected a mapping, got %s", describe(n))
		return
	}
	v.Set(reflect.MakeMap(t))
	for _, e := range d.entries(n, path) {
		d.decodeMapEntry(e, path, v)
	}
}

// decodeMapEntry decodes e into the map m (allocating it if nil).
func (d *Decoder) decodeMapEntry(e entry, path string, m reflect.Value) {
	t := m.Type()
	if m.IsNil() {
		m.Set(reflect.MakeMap(t))
	}
	if isNull(d.Resolve(e.keyNode, path)) {
		d.Errorf(e.keyNode, path, "keys cannot be empty or null")
		return
	}
	val := reflect.New(t.Elem()).Elem()
	d.decode(e.value, Key(path, e.key), val)
	m.SetMapIndex(reflect.ValueOf(e.key).Convert(t.Key()), val)
}

// scalar reports a problem unless n is a non-null scalar.
func (d *Decoder) scalar(n *yaml.Node, path, want string) bool {
	if n.Kind == yaml.ScalarNode && !isNull(n) {
		return true
	}
	d.Errorf(n, path, "expected %s, got %s", want, describe(n))
	return false
}

func (d *Decoder) decodeCustomScalar(n *yaml.Node, path string, v reflect.Value) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		want := "a single value"
		if ex := exampleOf(v.Type()); ex != "" {
			want = "a single value such as " + ex
		}
		d.Errorf(n, path, "expected %s, got %s", want, describe(n))
		return
	}
	var err error
	switch u := v.Addr().Interface().(type) {
	case ScalarUnmarshaler:
		err = u.UnmarshalScalar(n.Value)
	case encoding.TextUnmarshaler:
		err = u.UnmarshalText([]byte(n.Value))
	}
	if err != nil {
		msg := err.Error()
		if n.Style == 0 && strings.Count(n.Value, "(") > strings.Count(n.Value, ")") {
			msg += " (inside [...] or {...} a comma ends the value: quote it, e.g. \"uniform(1s, 3s)\")"
		}
		d.Errorf(n, path, "%s", msg)
	}
}

// exampleOf returns the first example of t's JSON Schema, quoted, or "".
func exampleOf(t reflect.Type) string {
	js, ok := reflect.New(t).Interface().(interface{ JSONSchema() map[string]any })
	if !ok {
		return ""
	}
	ex, _ := js.JSONSchema()["examples"].([]any)
	if len(ex) == 0 {
		return ""
	}
	if s, ok := ex[0].(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprint(ex[0])
}

func (d *Decoder) decodeBool(n *yaml.Node, path string, v reflect.Value) {
	const want = "a boolean (true or false)"
	if !d.scalar(n, path, want) {
		return
	}
	if n.ShortTag() == "!!bool" {
		switch strings.ToLower(n.Value) {
		case "true":
			v.SetBool(true)
			return
		case "false":
			v.SetBool(false)
			return
		}
	}
	d.Errorf(n, path, "expected %s, got %s", want, describe(n))
}

func (d *Decoder) decodeInt(n *yaml.Node, path string, v reflect.Value) {
	if !d.scalar(n, path, "an integer") {
		return
	}
	if n.ShortTag() != "!!int" {
		d.Errorf(n, path, "expected an integer, got %s", describe(n))
		return
	}
	bits := v.Type().Bits()
	x, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, bits)
	if err != nil {
		lo, hi := int64(-1)<<(bits-1), int64(1)<<(bits-1)-1
		d.Errorf(n, path, "number %s is out of range (%d to %d)", n.Value, lo, hi)
		return
	}
	v.SetInt(x)
}

func (d *Decoder) decodeUint(n *yaml.Node, path string, v reflect.Value) {
	if !d.scalar(n, path, "a non-negative integer") {
		return
	}
	if n.ShortTag() != "!!int" {
		d.Errorf(n, path, "expected a non-negative integer, got %s", describe(n))
		return
	}
	bits := v.Type().Bits()
	s := strings.ReplaceAll(n.Value, "_", "")
	if strings.HasPrefix(s, "-") {
		d.Errorf(n, path, "number %s must not be negative", n.Value)
		return
	}
	x, err := strconv.ParseUint(strings.TrimPrefix(s, "+"), 0, bits)
	if err != nil {
		d.Errorf(n, path, "number %s is out of range (0 to %d)", n.Value, uint64(math.MaxUint64)>>(64-bits))
		return
	}
	v.SetUint(x)
}

func (d *Decoder) decodeFloat(n *yaml.Node, path string, v reflect.Value) {
	if !d.scalar(n, path, "a number") {
		return
	}
	x, ok := parseNumber(n)
	if !ok {
		d.Errorf(n, path, "expected a number, got %s", describe(n))
		return
	}
	if math.IsInf(x, 0) || math.IsNaN(x) || v.Type().Bits() == 32 && math.Abs(x) > math.MaxFloat32 {
		d.Errorf(n, path, "number %s is out of range (expected a finite number)", n.Value)
		return
	}
	v.SetFloat(x)
}

// parseNumber reads an !!int or !!float scalar as a float64 (YAML's .inf
// and .nan included, so that the caller can refuse them by name).
func parseNumber(n *yaml.Node) (float64, bool) {
	s := strings.ReplaceAll(n.Value, "_", "")
	switch n.ShortTag() {
	case "!!int":
		if i, err := strconv.ParseInt(s, 0, 64); err == nil {
			return float64(i), true
		}
		if u, err := strconv.ParseUint(strings.TrimPrefix(s, "+"), 0, 64); err == nil {
			return float64(u), true
		}
	case "!!float":
		switch strings.ToLower(strings.TrimPrefix(s, "+")) {
		case ".inf":
			return math.Inf(1), true
		case "-.inf":
			return math.Inf(-1), true
		case ".nan":
			return math.NaN(), true
		}
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil || math.IsInf(f, 0)
	}
	return 0, false
}

// decodeAny decodes n without a Go type to guide it: mappings become
// map[string]any, lists []any, and scalars string, bool, int64, uint64
// (for integers beyond int64), float64 or nil.
func (d *Decoder) decodeAny(n *yaml.Node, path string) any {
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for _, e := range d.entries(n, path) {
			var x any
			d.decode(e.value, Key(path, e.key), reflect.ValueOf(&x).Elem())
			m[e.key] = x
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			d.decode(c, Index(path, i), reflect.ValueOf(&s[i]).Elem())
		}
		return s
	}
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		return strings.ToLower(n.Value) == "true"
	case "!!int":
		s := strings.ReplaceAll(n.Value, "_", "")
		if i, err := strconv.ParseInt(s, 0, 64); err == nil {
			return i
		}
		if u, err := strconv.ParseUint(strings.TrimPrefix(s, "+"), 0, 64); err == nil {
			return u
		}
		return n.Value
	case "!!float":
		if f, ok := parseNumber(n); ok && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f
		}
		d.Errorf(n, path, "number %s is out of range (expected a finite number)", n.Value)
		return nil
	}
	return n.Value
}

// describe says what n is, for "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	v := n.Value
	if len(v) > 40 {
		v = v[:40] + "…"
	}
	switch n.ShortTag() {
	case "!!null":
		if n.Value == "" {
			return "nothing (an empty value)"
		}
		return "null"
	case "!!bool":
		return "boolean " + v
	case "!!int", "!!float":
		return "number " + v
	}
	return "string " + strconv.Quote(v)
}

func isNull(n *yaml.Node) bool {
	return n != nil && n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// unsupportedTag returns n's tag when it is an explicit application tag
// ("!foo") the decoder does not understand, else "".
func unsupportedTag(n *yaml.Node) string {
	if n.Tag == "" || n.Tag == "!" || strings.HasPrefix(n.ShortTag(), "!!") {
		return ""
	}
	return n.Tag
}
