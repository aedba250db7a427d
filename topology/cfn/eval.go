package cfn

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Bounds of evaluation: nested intrinsics, and the size of what Fn::Join,
// Fn::Sub and Fn::Split may build.
const (
	maxEvalDepth = 100
	maxText      = 1 << 20
	maxItems     = 10000
	// maxEvalSteps bounds the work of one stack's evaluations, so that
	// no template (YAML aliases make small files large) can make the
	// evaluator run for long.
	maxEvalSteps = 1 << 21
)

// Stack is a template as deployed in one account and Region: what its
// intrinsic functions evaluate against. Evaluation is lazy and memoised:
// only the values the importer reads are evaluated, so an unresolvable
// value elsewhere in the template (a Lambda's environment, an IAM policy)
// never stops an import.
type Stack struct {
	T *Template
	// Name is the stack name (AWS::StackName).
	Name string
	// Account is the 12-digit account id (AWS::AccountId); Region is
	// AWS::Region.
	Account, Region string
	// Params are the parameter values given by the user (--param), which
	// win over the templates' defaults.
	Params map[string]string
	// Exports resolves Fn::ImportValue: the value of an Output's
	// Export.Name in any template of the import. Nil: no exports.
	Exports func(name string) (*Value, error)

	paramVals map[string]*Value
	conds     map[string]bool
	condBusy  map[string]bool
	names     map[string]string
	nameBusy  map[string]bool
	// Generated records the resources named by their logical id because
	// the template leaves the physical name to CloudFormation.
	Generated map[string]bool
	depth     int
	steps     int
}

// Partition is AWS::Partition for the stack's Region.
func (s *Stack) Partition() string {
	switch {
	case strings.HasPrefix(s.Region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(s.Region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// URLSuffix is AWS::URLSuffix for the stack's Region.
func (s *Stack) URLSuffix() string {
	if strings.HasPrefix(s.Region, "cn-") {
		return "amazonaws.com.cn"
	}
	return "amazonaws.com"
}

func (s *Stack) init() {
	if s.paramVals == nil {
		s.paramVals, s.conds, s.condBusy = map[string]*Value{}, map[string]bool{}, map[string]bool{}
		s.names, s.nameBusy, s.Generated = map[string]string{}, map[string]bool{}, map[string]bool{}
	}
}

// Eval evaluates every intrinsic function in v. path is v's place in the
// template, for errors. AWS::NoValue removes mapping entries and list
// items; an Opaque result is returned as it is (the caller decides
// whether a deploy-time value is acceptable where it stands).
func (s *Stack) Eval(v *Value, path string) (*Value, error) {
	s.init()
	out, err := s.eval(v, path)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Stack) eval(v *Value, path string) (*Value, error) {
	if v == nil {
		return &Value{Kind: Null}, nil
	}
	s.depth++
	defer func() { s.depth-- }()
	if s.depth > maxEvalDepth {
		return nil, errAt(v, path, "intrinsic functions nested more than %d deep", maxEvalDepth)
	}
	if s.steps++; s.steps > maxEvalSteps {
		return nil, errAt(v, path, "the template takes more than %d evaluation steps", maxEvalSteps)
	}
	switch v.Kind {
	case Map:
		if len(v.Keys) == 1 && (v.Keys[0] == "Ref" || strings.HasPrefix(v.Keys[0], "Fn::")) {
			return s.intrinsic(v.Keys[0], v.Vals[0], v, path)
		}
		out := &Value{Kind: Map, Line: v.Line, Col: v.Col}
		for i, k := range v.Keys {
			e, err := s.eval(v.Vals[i], keyPath(path, k))
			if err != nil {
				return nil, err
			}
			if e.Kind != NoValue {
				out.Keys, out.Vals = append(out.Keys, k), append(out.Vals, e)
			}
		}
		return out, nil
	case List:
		out := &Value{Kind: List, Line: v.Line, Col: v.Col}
		for i, it := range v.Items {
			e, err := s.eval(it, indexPath(path, i))
			if err != nil {
				return nil, err
			}
			if e.Kind != NoValue {
				out.Items = append(out.Items, e)
			}
		}
		return out, nil
	}
	return v, nil
}

// Text evaluates v and returns it as text (a string, number or boolean).
func (s *Stack) Text(v *Value, path string) (string, error) {
	e, err := s.Eval(v, path)
	if err != nil {
		return "", err
	}
	return textOf(e, v, path)
}

func textOf(e, at *Value, path string) (string, error) {
	switch {
	case e.IsScalarText():
		return e.Text, nil
	case e.Kind == Opaque:
		return "", errAt(at, path, "%s", opaqueReason(e))
	}
	return "", errAt(at, path, "must be text, not a %s", e.Kind)
}

// opaqueReason explains why a deploy-time value cannot be used.
func opaqueReason(e *Value) string {
	if e.Type != "" {
		return e.Text + " is known only when CloudFormation deploys the stack"
	}
	return e.Text
}

func (s *Stack) intrinsic(fn string, arg, at *Value, path string) (*Value, error) {
	p := keyPath(path, fn)
	switch fn {
	case "Ref":
		if arg.Kind != String {
			return nil, errAt(at, p, "Ref takes the name of a parameter or resource")
		}
		return s.ref(arg.Text, at, p)
	case "Fn::GetAtt":
		return s.getAttFn(arg, at, p)
	case "Fn::Sub":
		return s.subFn(arg, at, p)
	case "Fn::Join":
		return s.joinFn(arg, at, p)
	case "Fn::Select":
		return s.selectFn(arg, at, p)
	case "Fn::Split":
		return s.splitFn(arg, at, p)
	case "Fn::If":
		if arg.Kind != List || len(arg.Items) != 3 || arg.Items[0].Kind != String {
			return nil, errAt(at, p, "Fn::If takes [condition name, value if true, value if false]")
		}
		ok, err := s.Condition(arg.Items[0].Text, arg.Items[0], indexPath(p, 0))
		if err != nil {
			return nil, err
		}
		if ok {
			return s.eval(arg.Items[1], indexPath(p, 1))
		}
		return s.eval(arg.Items[2], indexPath(p, 2))
	case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
		ok, err := s.condExpr(at, path)
		if err != nil {
			return nil, err
		}
		return &Value{Kind: Bool, Text: strconv.FormatBool(ok)}, nil
	case "Fn::FindInMap":
		return s.findInMap(arg, at, p)
	case "Fn::ImportValue":
		name, err := s.Text(arg, p)
		if err != nil {
			return nil, err
		}
		if s.Exports == nil {
			return nil, errAt(at, p, "Fn::ImportValue %q: no template of this import exports it", name)
		}
		v, err := s.Exports(name)
		if err != nil {
			return nil, errAt(at, p, "Fn::ImportValue %q: %v", name, err)
		}
		return v, nil
	case "Fn::Base64":
		t, err := s.Text(arg, p)
		if err != nil {
			return nil, err
		}
		return str(base64.StdEncoding.EncodeToString([]byte(t))), nil
	case "Fn::ToJsonString":
		e, err := s.eval(arg, p)
		if err != nil {
			return nil, err
		}
		if o := findOpaque(e); o != nil {
			return nil, errAt(at, p, "%s", opaqueReason(o))
		}
		return str(e.JSON()), nil
	case "Fn::Length":
		e, err := s.eval(arg, p)
		if err != nil {
			return nil, err
		}
		if e.Kind != List {
			return nil, errAt(at, p, "Fn::Length takes a list")
		}
		return &Value{Kind: Number, Text: strconv.Itoa(len(e.Items))}, nil
	case "Fn::GetAZs", "Fn::Cidr":
		return &Value{Kind: Opaque, Text: fn + " (its value depends on the account at deployment)"}, nil
	case "Fn::Transform":
		return nil, errAt(at, p, "Fn::Transform runs a macro, which only CloudFormation can: import the processed template instead")
	}
	return nil, errAt(at, p, "unknown intrinsic function %s", fn)
}

// findOpaque returns the first Opaque value inside e, or nil.
func findOpaque(e *Value) *Value {
	switch e.Kind {
	case Opaque:
		return e
	case List:
		for _, it := range e.Items {
			if o := findOpaque(it); o != nil {
				return o
			}
		}
	case Map:
		for _, it := range e.Vals {
			if o := findOpaque(it); o != nil {
				return o
			}
		}
	}
	return nil
}

// ref is Ref NAME: a pseudo parameter, a parameter, or a resource.
func (s *Stack) ref(name string, at *Value, path string) (*Value, error) {
	switch name {
	case "AWS::NoValue":
		return &Value{Kind: NoValue}, nil
	case "AWS::AccountId":
		return str(s.Account), nil
	case "AWS::Region":
		return str(s.Region), nil
	case "AWS::Partition":
		return str(s.Partition()), nil
	case "AWS::URLSuffix":
		return str(s.URLSuffix()), nil
	case "AWS::StackName":
		return str(s.Name), nil
	case "AWS::StackId":
		return &Value{Kind: Opaque, Text: "AWS::StackId (CloudFormation generates it)", Origin: name}, nil
	case "AWS::NotificationARNs":
		return &Value{Kind: List}, nil
	}
	if s.T.Parameters.Get(name) != nil {
		return s.param(name, at, path)
	}
	if r := s.T.Resource(name); r != nil {
		return s.resourceRef(r, at, path)
	}
	return nil, errAt(at, path, "Ref %q: the template has no parameter or resource of that name", name)
}

// param resolves a parameter: --param, else its Default.
func (s *Stack) param(name string, at *Value, path string) (*Value, error) {
	if v, ok := s.paramVals[name]; ok {
		return v, nil
	}
	decl := s.T.Parameters.Get(name)
	typ := ""
	if t := decl.Get("Type"); t != nil {
		typ = t.Text
	}
	var raw *Value
	if given, ok := s.Params[name]; ok {
		raw = &Value{Kind: String, Text: given}
	} else if d := decl.Get("Default"); d != nil {
		raw = d
	}
	var v *Value
	switch {
	case raw == nil:
		v = &Value{Kind: Opaque, Origin: name, Text: fmt.Sprintf("parameter %s has no default: give --param %s=VALUE", name, name)}
	case strings.HasPrefix(typ, "AWS::SSM::Parameter::Value<") && s.Params[name] == "":
		v = &Value{Kind: Opaque, Origin: name, Text: fmt.Sprintf("parameter %s is read from SSM parameter %q at deployment: give --param %s=VALUE", name, raw.Text, name)}
	case typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<") || strings.HasPrefix(typ, "AWS::SSM::Parameter::Value<List<"):
		v = &Value{Kind: List}
		if raw.Kind == List {
			v.Items = raw.Items
		} else {
			for _, part := range strings.Split(raw.Text, ",") {
				v.Items = append(v.Items, str(strings.TrimSpace(part)))
			}
		}
	default:
		if !raw.IsScalarText() {
			return nil, errAt(raw, "Parameters."+name, "a parameter's value must be text")
		}
		v = str(raw.Text)
		if allowed := decl.Get("AllowedValues"); allowed != nil && allowed.Kind == List {
			if !slices.ContainsFunc(allowed.Items, func(a *Value) bool { return a.Text == raw.Text }) {
				return nil, errAt(at, path, "parameter %s is %q, which is not one of its AllowedValues", name, raw.Text)
			}
		}
	}
	s.paramVals[name] = v
	return v, nil
}

// Condition evaluates the named condition of the Conditions section.
func (s *Stack) Condition(name string, at *Value, path string) (bool, error) {
	s.init()
	if v, ok := s.conds[name]; ok {
		return v, nil
	}
	expr := s.T.Conditions.Get(name)
	if expr == nil {
		return false, errAt(at, path, "no condition named %q in the Conditions section", name)
	}
	if s.condBusy[name] {
		return false, errAt(at, path, "condition %s depends on itself", name)
	}
	s.condBusy[name] = true
	defer delete(s.condBusy, name)
	ok, err := s.condExpr(expr, "Conditions."+name)
	if err != nil {
		return false, err
	}
	s.conds[name] = ok
	return ok, nil
}

// condExpr evaluates a condition function: Fn::Equals, Fn::And, Fn::Or,
// Fn::Not, or {"Condition": name}.
func (s *Stack) condExpr(v *Value, path string) (bool, error) {
	if v.Kind != Map || len(v.Keys) != 1 {
		if v.Kind == Bool {
			return v.Text == "true", nil
		}
		return false, errAt(v, path, "a condition is Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition")
	}
	fn, arg := v.Keys[0], v.Vals[0]
	p := keyPath(path, fn)
	switch fn {
	case "Condition":
		if arg.Kind != String {
			return false, errAt(v, p, "Condition takes a condition name")
		}
		return s.Condition(arg.Text, arg, p)
	case "Fn::Equals":
		if arg.Kind != List || len(arg.Items) != 2 {
			return false, errAt(v, p, "Fn::Equals takes two values")
		}
		a, err := s.eval(arg.Items[0], indexPath(p, 0))
		if err != nil {
			return false, err
		}
		b, err := s.eval(arg.Items[1], indexPath(p, 1))
		if err != nil {
			return false, err
		}
		for _, x := range []*Value{a, b} {
			if o := findOpaque(x); o != nil {
				return false, errAt(v, p, "%s", opaqueReason(o))
			}
		}
		if a.IsScalarText() && b.IsScalarText() {
			return a.Text == b.Text, nil
		}
		return a.JSON() == b.JSON(), nil
	case "Fn::Not":
		if arg.Kind != List || len(arg.Items) != 1 {
			return false, errAt(v, p, "Fn::Not takes one condition")
		}
		ok, err := s.condExpr(arg.Items[0], indexPath(p, 0))
		return !ok, err
	case "Fn::And", "Fn::Or":
		if arg.Kind != List || len(arg.Items) < 2 || len(arg.Items) > 10 {
			return false, errAt(v, p, "%s takes 2 to 10 conditions", fn)
		}
		and := fn == "Fn::And"
		for i, it := range arg.Items {
			ok, err := s.condExpr(it, indexPath(p, i))
			if err != nil {
				return false, err
			}
			if ok != and {
				return ok, nil
			}
		}
		return and, nil
	}
	e, err := s.eval(v, path)
	if err != nil {
		return false, err
	}
	if e.Kind == Bool {
		return e.Text == "true", nil
	}
	return false, errAt(v, path, "a condition is Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition")
}

// Exists reports whether a resource is part of the stack: it has no
// Condition, or its condition is true.
func (s *Stack) Exists(r *Resource) (bool, error) {
	if r.Condition == "" {
		return true, nil
	}
	return s.Condition(r.Condition, r.Node.Get("Condition"), "Resources."+r.LogicalID+".Condition")
}

func (s *Stack) findInMap(arg, at *Value, p string) (*Value, error) {
	if arg.Kind != List || len(arg.Items) < 3 {
		return nil, errAt(at, p, "Fn::FindInMap takes [map, top-level key, second-level key]")
	}
	var keys [3]string
	for i := range keys {
		t, err := s.Text(arg.Items[i], indexPath(p, i))
		if err != nil {
			return nil, err
		}
		keys[i] = t
	}
	v := s.T.Mappings.Get(keys[0]).Get(keys[1]).Get(keys[2])
	if v == nil {
		return nil, errAt(at, p, "Fn::FindInMap: Mappings has no %s.%s.%s", keys[0], keys[1], keys[2])
	}
	// Mappings hold literal values only (CloudFormation allows no
	// functions in them).
	return v, nil
}

func (s *Stack) joinFn(arg, at *Value, p string) (*Value, error) {
	if arg.Kind != List || len(arg.Items) != 2 {
		return nil, errAt(at, p, "Fn::Join takes [delimiter, list]")
	}
	sep, err := s.Text(arg.Items[0], indexPath(p, 0))
	if err != nil {
		return nil, err
	}
	list, err := s.eval(arg.Items[1], indexPath(p, 1))
	if err != nil {
		return nil, err
	}
	if list.Kind != List {
		return nil, errAt(at, p, "Fn::Join: the second value must be a list, not a %s", list.Kind)
	}
	var b strings.Builder
	for i, it := range list.Items {
		t, err := textOf(it, arg.Items[1], indexPath(indexPath(p, 1), i))
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(t)
		if b.Len() > maxText {
			return nil, errAt(at, p, "Fn::Join builds more than %d bytes", maxText)
		}
	}
	return str(b.String()), nil
}

func (s *Stack) selectFn(arg, at *Value, p string) (*Value, error) {
	if arg.Kind != List || len(arg.Items) != 2 {
		return nil, errAt(at, p, "Fn::Select takes [index, list]")
	}
	is, err := s.Text(arg.Items[0], indexPath(p, 0))
	if err != nil {
		return nil, err
	}
	i, err := strconv.Atoi(is)
	if err != nil || i < 0 {
		return nil, errAt(at, p, "Fn::Select: index %q is not a non-negative integer", is)
	}
	list, err := s.eval(arg.Items[1], indexPath(p, 1))
	if err != nil {
		return nil, err
	}
	if list.Kind == Opaque {
		return nil, errAt(at, p, "%s", opaqueReason(list))
	}
	if list.Kind != List {
		return nil, errAt(at, p, "Fn::Select: the second value must be a list, not a %s", list.Kind)
	}
	if i >= len(list.Items) {
		return nil, errAt(at, p, "Fn::Select: index %d is past the list's %d items", i, len(list.Items))
	}
	return list.Items[i], nil
}

func (s *Stack) splitFn(arg, at *Value, p string) (*Value, error) {
	if arg.Kind != List || len(arg.Items) != 2 {
		return nil, errAt(at, p, "Fn::Split takes [delimiter, text]")
	}
	sep, err := s.Text(arg.Items[0], indexPath(p, 0))
	if err != nil {
		return nil, err
	}
	if sep == "" {
		return nil, errAt(at, p, "Fn::Split: the delimiter is empty")
	}
	t, err := s.Text(arg.Items[1], indexPath(p, 1))
	if err != nil {
		return nil, err
	}
	parts := strings.SplitN(t, sep, maxItems+1)
	if len(parts) > maxItems {
		return nil, errAt(at, p, "Fn::Split makes more than %d items", maxItems)
	}
	out := &Value{Kind: List}
	for _, part := range parts {
		out.Items = append(out.Items, str(part))
	}
	return out, nil
}

// subFn is Fn::Sub: "text ${Var} ${Res.Attr} ${!Literal}", with optional
// variables.
func (s *Stack) subFn(arg, at *Value, p string) (*Value, error) {
	tmplV, vars := arg, (*Value)(nil)
	if arg.Kind == List {
		if len(arg.Items) != 2 || arg.Items[1].Kind != Map {
			return nil, errAt(at, p, "Fn::Sub takes a string, or [string, mapping of variables]")
		}
		tmplV, vars = arg.Items[0], arg.Items[1]
	}
	if tmplV.Kind != String {
		return nil, errAt(at, p, "Fn::Sub takes a string, or [string, mapping of variables]")
	}
	tmpl := tmplV.Text
	seen := map[string]string{} // each variable is evaluated once
	var b strings.Builder
	for {
		i := strings.Index(tmpl, "${")
		if i < 0 {
			b.WriteString(tmpl)
			break
		}
		b.WriteString(tmpl[:i])
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			return nil, errAt(at, p, "Fn::Sub: %q has an unclosed ${", tmplV.Text)
		}
		name := tmpl[i+2 : i+j]
		tmpl = tmpl[i+j+1:]
		if strings.HasPrefix(name, "!") {
			b.WriteString("${" + name[1:] + "}")
			continue
		}
		name = strings.TrimSpace(name)
		if t, ok := seen[name]; ok {
			b.WriteString(t)
			if b.Len() > maxText {
				return nil, errAt(at, p, "Fn::Sub builds more than %d bytes", maxText)
			}
			continue
		}
		var val *Value
		var err error
		if vv := vars.Get(name); vv != nil {
			val, err = s.eval(vv, keyPath(indexPath(p, 1), name))
		} else if res, att, dotted := strings.Cut(name, "."); dotted && s.T.Resource(res) != nil {
			val, err = s.getAtt(res, att, at, p)
		} else {
			val, err = s.ref(name, at, p)
		}
		if err != nil {
			return nil, err
		}
		t, err := textOf(val, at, p)
		if err != nil {
			return nil, err
		}
		seen[name] = t
		b.WriteString(t)
		if b.Len() > maxText {
			return nil, errAt(at, p, "Fn::Sub builds more than %d bytes", maxText)
		}
	}
	return str(b.String()), nil
}

func (s *Stack) getAttFn(arg, at *Value, p string) (*Value, error) {
	var res, att string
	switch {
	case arg.Kind == String:
		var ok bool
		if res, att, ok = strings.Cut(arg.Text, "."); !ok {
			return nil, errAt(at, p, "Fn::GetAtt %q: write [Resource, Attribute]", arg.Text)
		}
	case arg.Kind == List && len(arg.Items) == 2 && arg.Items[0].Kind == String:
		res = arg.Items[0].Text
		a, err := s.Text(arg.Items[1], indexPath(p, 1))
		if err != nil {
			return nil, err
		}
		att = a
	default:
		return nil, errAt(at, p, "Fn::GetAtt takes [Resource, Attribute]")
	}
	return s.getAtt(res, att, at, p)
}
