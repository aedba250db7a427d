package yamlstrict

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// field is one YAML key of a struct type, found through its tags.
type field struct {
	key      string
	index    []int // for reflect.Value.FieldByIndex, through ,inline structs
	typ      reflect.Type
	required bool
	doc      string
	enum     []string
}

// structInfo is what the decoder and the schema generator know about a
// struct type. It is computed once per type.
type structInfo struct {
	fields    []field // in declaration order, inline fields in place
	byKey     map[string]int
	inlineMap []int   // index of an ,inline map field that takes unknown keys; nil if none
	pos       [][]int // fields of type Pos
	origin    [][]int // fields of type Origin
	err       error   // what is wrong with the Go type, if anything
}

var (
	posType    = reflect.TypeFor[Pos]()
	originType = reflect.TypeFor[Origin]()
	structs    sync.Map // reflect.Type → *structInfo
)

// structInfoOf returns the fields of struct type t. The tags it reads:
//
//	yaml:"key"           the key (default: the field name in lower case, as yaml.v3 does)
//	yaml:"-"             not a key
//	yaml:",inline"       the fields of this struct (or, for a map, every other key) belong to the parent
//	required:"true"      the key must be present
//	enum:"a,b,c"         the only values allowed (string fields and lists of strings)
//	doc:"..."            the description in the JSON Schema
//
// Options of the yaml tag other than inline (omitempty, flow) are ignored.
func structInfoOf(t reflect.Type) *structInfo {
	if si, ok := structs.Load(t); ok {
		return si.(*structInfo)
	}
	si := &structInfo{byKey: map[string]int{}}
	si.collect(t, nil, map[reflect.Type]bool{})
	structs.Store(t, si)
	return si
}

func (si *structInfo) fail(format string, args ...any) {
	if si.err == nil {
		si.err = fmt.Errorf(format, args...)
	}
}

func (si *structInfo) collect(t reflect.Type, prefix []int, visiting map[reflect.Type]bool) {
	if visiting[t] {
		si.fail("%s inlines itself", t)
		return
	}
	visiting[t] = true
	defer delete(visiting, t)
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		index := append(append([]int(nil), prefix...), i)
		tag := sf.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		// An embedded struct of an unexported type can still be inlined:
		// its exported fields are settable.
		if !sf.IsExported() && !(sf.Anonymous && hasOpt(opts, "inline")) {
			continue
		}
		switch sf.Type {
		case posType:
			si.pos = append(si.pos, index)
			continue
		case originType:
			si.origin = append(si.origin, index)
			continue
		}
		if tag == "-" {
			continue
		}
		if hasOpt(opts, "inline") {
			switch {
			case sf.Type.Kind() == reflect.Struct:
				si.collect(sf.Type, index, visiting)
			case sf.Type.Kind() == reflect.Map && sf.Type.Key().Kind() == reflect.String:
				if si.inlineMap != nil {
					si.fail("%s has more than one ,inline map", t)
				}
				si.inlineMap = index
			default:
				si.fail("field %s.%s: ,inline needs a struct or a map with string keys", t, sf.Name)
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(sf.Name)
		}
		if _, dup := si.byKey[name]; dup {
			si.fail("%s has two fields with the key %q", t, name)
			continue
		}
		f := field{
			key:      name,
			index:    index,
			typ:      sf.Type,
			required: sf.Tag.Get("required") == "true",
			doc:      sf.Tag.Get("doc"),
		}
		if e := sf.Tag.Get("enum"); e != "" {
			for _, v := range strings.Split(e, ",") {
				f.enum = append(f.enum, strings.TrimSpace(v))
			}
		}
		si.byKey[name] = len(si.fields)
		si.fields = append(si.fields, f)
	}
}

func hasOpt(opts, want string) bool {
	for _, o := range strings.Split(opts, ",") {
		if o == want {
			return true
		}
	}
	return false
}

// keys returns the keys of the struct in declaration order.
func (si *structInfo) keys() []string {
	out := make([]string, len(si.fields))
	for i, f := range si.fields {
		out[i] = f.key
	}
	return out
}
