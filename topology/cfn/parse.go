package cfn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Bounds of the reader. A template CloudFormation accepts is at most 1 MB
// (from S3); these leave room and stop a wrong file or a hostile one
// (deep nesting, YAML alias bombs) long before memory or time run out.
const (
	// MaxTemplateBytes is the largest template read.
	MaxTemplateBytes = 8 << 20
	// maxDepth bounds nesting of lists and mappings.
	maxDepth = 200
	// maxNodes bounds the values of one template, aliases expanded.
	maxNodes = 1 << 19
)

// ParseValue reads a template document, JSON or YAML: JSON when its first
// non-blank character is '{', YAML otherwise. YAML's short intrinsic tags
// (!Ref, !GetAtt, !Sub, !Join, !If, ...) become the long forms ("Ref",
// "Fn::GetAtt", ...), exactly as CloudFormation reads them. Every value
// keeps its line and column.
func ParseValue(file string, data []byte) (*Value, error) {
	if len(data) > MaxTemplateBytes {
		return nil, &Error{File: file, Msg: fmt.Sprintf("the template is %d bytes, over the %d MiB limit", len(data), MaxTemplateBytes>>20)}
	}
	if !utf8.Valid(data) {
		return nil, &Error{File: file, Msg: "the template is not UTF-8 text"}
	}
	if t := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '{' {
		v, err := parseJSON(file, data)
		if err == nil {
			return v, nil
		}
		// A YAML template may start with a flow mapping: when the text
		// is not JSON but is YAML, it is a YAML template.
		if yv, yerr := parseYAML(file, data); yerr == nil {
			return yv, nil
		}
		return nil, err
	}
	return parseYAML(file, data)
}

// --- JSON ---

type jsonReader struct {
	file  string
	data  []byte
	dec   *json.Decoder
	lines []int // offsets of line starts
	nodes int
}

func parseJSON(file string, data []byte) (*Value, error) {
	r := &jsonReader{file: file, data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	r.dec.UseNumber()
	r.lines = append(r.lines, 0)
	for i, c := range data {
		if c == '\n' {
			r.lines = append(r.lines, i+1)
		}
	}
	v, err := r.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := r.dec.Token(); err != io.EOF {
		line, col := r.here()
		return nil, &Error{File: file, Line: line, Col: col, Msg: "unexpected text after the template's closing brace"}
	}
	return v, nil
}

// here returns the line and column of the next token: the decoder's offset
// moved past blanks and the separators it consumes itself.
func (r *jsonReader) here() (int, int) {
	off := int(r.dec.InputOffset())
	for off < len(r.data) && strings.IndexByte(" \t\r\n,:\ufeff", r.data[off]) >= 0 {
		off++
	}
	i := sort.Search(len(r.lines), func(i int) bool { return r.lines[i] > off }) - 1
	return i + 1, off - r.lines[i] + 1
}

func (r *jsonReader) fail(line, col int, err error) error {
	msg := err.Error()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		msg = "invalid JSON: " + se.Error()
	} else if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		msg = "invalid JSON: the text ends inside a value"
	}
	return &Error{File: r.file, Line: line, Col: col, Msg: msg}
}

func (r *jsonReader) value(depth int) (*Value, error) {
	line, col := r.here()
	if depth > maxDepth {
		return nil, &Error{File: r.file, Line: line, Col: col, Msg: fmt.Sprintf("nested more than %d levels deep", maxDepth)}
	}
	if r.nodes++; r.nodes > maxNodes {
		return nil, &Error{File: r.file, Line: line, Col: col, Msg: fmt.Sprintf("more than %d values", maxNodes)}
	}
	tok, err := r.dec.Token()
	if err != nil {
		return nil, r.fail(line, col, err)
	}
	v := &Value{Line: line, Col: col}
	switch t := tok.(type) {
	case nil:
		v.Kind = Null
	case bool:
		v.Kind, v.Text = Bool, strconv.FormatBool(t)
	case json.Number:
		v.Kind, v.Text = Number, string(t)
	case string:
		v.Kind, v.Text = String, t
	case json.Delim:
		switch t {
		case '[':
			v.Kind = List
			for r.dec.More() {
				it, err := r.value(depth + 1)
				if err != nil {
					return nil, err
				}
				v.Items = append(v.Items, it)
			}
		case '{':
			v.Kind = Map
			for r.dec.More() {
				kl, kc := r.here()
				kt, err := r.dec.Token()
				if err != nil {
					return nil, r.fail(kl, kc, err)
				}
				k, _ := kt.(string)
				if v.Get(k) != nil {
					return nil, &Error{File: r.file, Line: kl, Col: kc, Msg: fmt.Sprintf("duplicate key %q", k)}
				}
				val, err := r.value(depth + 1)
				if err != nil {
					return nil, err
				}
				v.Keys, v.Vals = append(v.Keys, k), append(v.Vals, val)
			}
		}
		el, ec := r.here()
		if _, err := r.dec.Token(); err != nil {
			return nil, r.fail(el, ec, err)
		}
	}
	return v, nil
}

// --- YAML ---

// shortTags maps CloudFormation's YAML short forms to their function names.
var shortTags = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition",
	"!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub", "!Join": "Fn::Join", "!Select": "Fn::Select",
	"!Split": "Fn::Split", "!If": "Fn::If", "!Equals": "Fn::Equals", "!Not": "Fn::Not",
	"!And": "Fn::And", "!Or": "Fn::Or", "!FindInMap": "Fn::FindInMap", "!ImportValue": "Fn::ImportValue",
	"!GetAZs": "Fn::GetAZs", "!Base64": "Fn::Base64", "!Cidr": "Fn::Cidr", "!Transform": "Fn::Transform",
	"!Length": "Fn::Length", "!ToJsonString": "Fn::ToJsonString",
}

type yamlReader struct {
	file  string
	nodes int
}

func parseYAML(file string, data []byte) (v *Value, err error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, &Error{File: file, Msg: "the template is empty"}
		}
		return nil, &Error{File: file, Msg: "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		return nil, &Error{File: file, Line: extra.Line, Col: extra.Column, Msg: "a template is one YAML document; this file has more"}
	}
	r := &yamlReader{file: file}
	root := &doc
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		root = doc.Content[0]
	}
	return r.value(root, 0)
}

func (r *yamlReader) errf(n *yaml.Node, format string, args ...any) error {
	return &Error{File: r.file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)}
}

func (r *yamlReader) value(n *yaml.Node, depth int) (*Value, error) {
	if depth > maxDepth {
		return nil, r.errf(n, "nested more than %d levels deep (or a YAML alias refers to itself)", maxDepth)
	}
	if r.nodes++; r.nodes > maxNodes {
		return nil, r.errf(n, "more than %d values (aliases expanded)", maxNodes)
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return nil, r.errf(n, "unknown alias")
		}
		v, err := r.value(n.Alias, depth+1)
		if err != nil {
			return nil, err
		}
		return v, nil
	}
	if fn, ok := shortTags[n.Tag]; ok {
		inner := *n
		inner.Tag = ""
		if n.Kind == yaml.ScalarNode {
			inner.Tag = "!!str"
		}
		arg, err := r.untagged(&inner, depth)
		if err != nil {
			return nil, err
		}
		if fn == "Fn::GetAtt" && arg.Kind == String {
			// !GetAtt Resource.Attribute: the attribute may itself
			// contain dots, the logical id never does.
			res, att, ok := strings.Cut(arg.Text, ".")
			if !ok {
				return nil, r.errf(n, "!GetAtt %q: write Resource.Attribute", arg.Text)
			}
			arg = &Value{Kind: List, Items: []*Value{
				{Kind: String, Text: res, Line: n.Line, Col: n.Column},
				{Kind: String, Text: att, Line: n.Line, Col: n.Column},
			}, Line: n.Line, Col: n.Column}
		}
		return &Value{Kind: Map, Keys: []string{fn}, Vals: []*Value{arg}, Line: n.Line, Col: n.Column}, nil
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return nil, r.errf(n, "unknown tag %s (CloudFormation's are %s)", n.Tag, strings.Join(sortedTags(), ", "))
	}
	return r.untagged(n, depth)
}

func sortedTags() []string {
	out := make([]string, 0, len(shortTags))
	for t := range shortTags {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

func (r *yamlReader) untagged(n *yaml.Node, depth int) (*Value, error) {
	v := &Value{Line: n.Line, Col: n.Column}
	switch n.Kind {
	case yaml.ScalarNode:
		return r.scalar(n, v)
	case yaml.SequenceNode:
		v.Kind = List
		v.Items = make([]*Value, 0, len(n.Content))
		for _, c := range n.Content {
			it, err := r.value(c, depth+1)
			if err != nil {
				return nil, err
			}
			v.Items = append(v.Items, it)
		}
		return v, nil
	case yaml.MappingNode:
		v.Kind = Map
		for i := 0; i+1 < len(n.Content); i += 2 {
			kn := n.Content[i]
			if kn.Kind == yaml.AliasNode && kn.Alias != nil {
				kn = kn.Alias
			}
			if kn.Kind != yaml.ScalarNode {
				return nil, r.errf(kn, "a mapping key must be a plain value")
			}
			if kn.Tag == "!!merge" {
				return nil, r.errf(kn, "YAML merge keys (<<) are not supported; write the keys out")
			}
			if v.Get(kn.Value) != nil {
				return nil, r.errf(kn, "duplicate key %q", kn.Value)
			}
			val, err := r.value(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			v.Keys, v.Vals = append(v.Keys, kn.Value), append(v.Vals, val)
		}
		return v, nil
	case yaml.DocumentNode:
		return nil, r.errf(n, "unexpected document")
	}
	return nil, r.errf(n, "unsupported YAML node")
}

// scalar types a YAML scalar as CloudFormation (and JSON) would: null,
// booleans and numbers when the YAML resolves them so, text otherwise.
func (r *yamlReader) scalar(n *yaml.Node, v *Value) (*Value, error) {
	v.Kind, v.Text = String, n.Value
	switch n.ShortTag() {
	case "!!null":
		v.Kind, v.Text = Null, ""
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err == nil {
			v.Kind, v.Text = Bool, strconv.FormatBool(b)
		}
	case "!!int":
		if i, ok := new(big.Int).SetString(strings.ReplaceAll(n.Value, "_", ""), 0); ok {
			v.Kind, v.Text = Number, i.String()
		}
	case "!!float":
		if json.Valid([]byte(n.Value)) {
			v.Kind = Number
		} else if f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			v.Kind, v.Text = Number, strconv.FormatFloat(f, 'g', -1, 64)
		}
	}
	return v, nil
}
