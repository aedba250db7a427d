package cfn

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"
)

// Template is a parsed CloudFormation template: its sections, with the
// resources in the order the template lists them.
type Template struct {
	// File is the path the template was read from; errors and notes
	// name it.
	File string
	// Root is the whole document.
	Root *Value
	// Parameters, Conditions, Mappings and Outputs are the sections
	// (nil when absent).
	Parameters, Conditions, Mappings, Outputs *Value
	// Resources, in template order.
	Resources []*Resource
	// Transforms are the macros the template declares (e.g.
	// AWS::Serverless-2016-10-31); their resources are not expanded.
	Transforms []string
}

// Resource is one entry of the Resources section.
type Resource struct {
	LogicalID string
	Type      string
	// Properties is the Properties mapping (nil when absent).
	Properties *Value
	// Condition names the condition that decides whether the resource
	// exists ("" when it always does).
	Condition string
	// Node is the resource's mapping, for its position.
	Node *Value
}

// Path returns the template path of one of the resource's properties.
func (r *Resource) Path(prop string) string {
	p := "Resources." + r.LogicalID
	if prop != "" {
		p += ".Properties." + prop
	}
	return p
}

// Parse reads a template and checks its shape: a mapping with a Resources
// mapping whose entries have a Type. Every problem is reported.
func Parse(file string, data []byte) (*Template, error) {
	root, err := ParseValue(file, data)
	if err != nil {
		return nil, err
	}
	t := &Template{File: file, Root: root}
	var errs Errors
	add := func(v *Value, path, format string, args ...any) {
		e := &Error{File: file, Path: path, Msg: fmt.Sprintf(format, args...)}
		if v != nil {
			e.Line, e.Col = v.Line, v.Col
		}
		if strings.HasPrefix(path, "Resources.") {
			e.LogicalID, _, _ = strings.Cut(strings.TrimPrefix(path, "Resources."), ".")
		}
		errs = append(errs, e)
	}
	if root.Kind != Map {
		add(root, "", "a template is a mapping with a Resources section, not a %s", root.Kind)
		return nil, errs
	}
	section := func(name string) *Value {
		v := root.Get(name)
		if v != nil && v.Kind != Map {
			add(v, name, "must be a mapping, not a %s", v.Kind)
			return nil
		}
		return v
	}
	t.Parameters = section("Parameters")
	t.Conditions = section("Conditions")
	t.Mappings = section("Mappings")
	t.Outputs = section("Outputs")
	if tr := root.Get("Transform"); tr != nil {
		switch tr.Kind {
		case String:
			t.Transforms = []string{tr.Text}
		case List:
			for _, it := range tr.Items {
				t.Transforms = append(t.Transforms, it.Text)
			}
		}
	}
	res := root.Get("Resources")
	switch {
	case res == nil:
		add(root, "Resources", "the template has no Resources section")
	case res.Kind != Map:
		add(res, "Resources", "must be a mapping, not a %s", res.Kind)
	default:
		for i, id := range res.Keys {
			n := res.Vals[i]
			path := "Resources." + id
			if !validLogicalID(id) {
				add(n, path, "logical id %q must be 1-255 letters and digits", id)
			}
			if n.Kind != Map {
				add(n, path, "must be a mapping, not a %s", n.Kind)
				continue
			}
			r := &Resource{LogicalID: id, Node: n}
			if ty := n.Get("Type"); ty == nil || ty.Kind != String || ty.Text == "" {
				add(n, path+".Type", "every resource needs a Type")
			} else {
				r.Type = ty.Text
			}
			if p := n.Get("Properties"); p != nil {
				if p.Kind != Map {
					add(p, path+".Properties", "must be a mapping, not a %s", p.Kind)
				} else {
					r.Properties = p
				}
			}
			if c := n.Get("Condition"); c != nil {
				if c.Kind != String {
					add(c, path+".Condition", "must be the name of a condition")
				} else {
					r.Condition = c.Text
				}
			}
			t.Resources = append(t.Resources, r)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return t, nil
}

// ReadFile reads a template file, refusing a directory, and a file over
// MaxTemplateBytes before reading it.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil {
		if st.IsDir() {
			return nil, fmt.Errorf("%s is a directory", path)
		}
		if st.Mode().IsRegular() && st.Size() > MaxTemplateBytes {
			return nil, fmt.Errorf("%s is %d bytes, over the %d MiB template limit", path, st.Size(), MaxTemplateBytes>>20)
		}
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxTemplateBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxTemplateBytes {
		return nil, fmt.Errorf("%s is over the %d MiB template limit", path, MaxTemplateBytes>>20)
	}
	return b, nil
}

// Resource returns the resource with that logical id, or nil.
func (t *Template) Resource(id string) *Resource {
	for _, r := range t.Resources {
		if r.LogicalID == id {
			return r
		}
	}
	return nil
}

// StackName derives a stack name from a template's file name, the way
// cdk synth names them: "cdk.out/OrderStack.template.json" is OrderStack.
func StackName(file string) string {
	base := filepath.Base(file)
	for _, suf := range []string{".json", ".yaml", ".yml", ".template"} {
		base = strings.TrimSuffix(base, suf)
	}
	return base
}

// AccountName turns a stack name into a readable account name: lower
// case, words joined by dashes, without a trailing "stack" ("OrderStack"
// is "order", "delivery-service-stack" is "delivery-service"). It
// returns "" when nothing usable is left.
func AccountName(stack string) string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(stack)
	for i, c := range rs {
		switch {
		case unicode.IsUpper(c):
			// A capital starts a word, except inside an acronym
			// ("APIStack" is api, stack).
			if i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) ||
				(i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1]))) {
				flush()
			}
			cur = append(cur, c)
		case c < 128 && (unicode.IsLower(c) || unicode.IsDigit(c)):
			cur = append(cur, c)
		default:
			flush()
		}
	}
	flush()
	if len(words) > 1 && words[len(words)-1] == "stack" {
		words = words[:len(words)-1]
	}
	name := strings.Join(words, "-")
	if len(name) > 64 {
		name = strings.TrimRight(name[:64], "-")
	}
	return name
}

func validLogicalID(id string) bool {
	if id == "" || len(id) > 255 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
