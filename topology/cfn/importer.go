package cfn

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/busdrill/busdrill/topology"
	"github.com/busdrill/busdrill/topology/assemble"
)

// Input is one template and the account it is deployed in.
type Input struct {
	// Account is the 12-digit account id (AWS::AccountId).
	Account string
	// File names the template in errors and notes; Data is its text.
	File string
	Data []byte
}

// Options of an import.
type Options struct {
	// Region of every stack (AWS::Region); "" means topology.DefaultRegion.
	Region string
	// Params are parameter values by name, for every template that
	// declares the parameter; each must be declared by one at least.
	Params map[string]string
	// Names maps an account id to its name in the topology; by default
	// an account is named after the stack of its first template
	// (AccountName).
	Names map[string]string
	// OrgID, when set, is the AWS Organization of every account (what
	// policies with an aws:PrincipalOrgID condition are checked against).
	OrgID string
}

// hint ends an error about an account or bus no template defines.
const hint = " (add that account's template with --cfn ACCOUNT=TEMPLATE)"

// Import reads the templates of a backbone, one or more per account, and
// assembles the topology they deploy: the buses (AWS::Events::EventBus,
// and the default bus where rules or policies use it) with their
// policies (the EventBus Policy property and AWS::Events::EventBusPolicy
// resources), the rules (AWS::Events::Rule) with their targets, the
// queues (AWS::SQS::Queue), the Lambda functions rules invoke, and the
// archives (AWS::Events::Archive). Every template is read first, so a
// rule may target a bus of any account of the import. What cannot be
// resolved fails the import, naming file, line, path and logical id;
// what the topology cannot carry is a note of the result.
func Import(inputs []Input, o Options) (*assemble.Result, error) {
	if o.Region == "" {
		o.Region = topology.DefaultRegion
	}
	im := &importer{o: o, b: assemble.New(o.Region, true, hint)}
	for _, in := range inputs {
		t, err := Parse(in.File, in.Data)
		if err != nil {
			var es Errors
			var e *Error
			switch {
			case errors.As(err, &es):
				im.errs = append(im.errs, es...)
			case errors.As(err, &e):
				im.errs = append(im.errs, e)
			default:
				return nil, err
			}
			continue
		}
		im.stacks = append(im.stacks, &Stack{T: t, Name: StackName(in.File), Account: in.Account, Region: o.Region,
			Params: o.Params, Exports: im.export})
	}
	if len(im.errs) > 0 {
		return nil, im.errs
	}
	if err := im.accounts(); err != nil {
		return nil, err
	}
	im.checkParams()
	for _, phase := range []func(*Stack){im.buses, im.policies, im.queues, im.rules, im.archives, im.redrive, im.transforms} {
		for _, s := range im.stacks {
			phase(s)
		}
	}
	if len(im.errs) > 0 {
		return nil, im.errs
	}
	facts := im.b.Facts()
	facts.RedriveKnown = true
	for _, s := range im.stacks {
		for _, r := range s.T.Resources {
			if s.Generated[r.LogicalID] {
				facts.Named = append(facts.Named, r.LogicalID)
			}
		}
	}
	res, err := im.b.Build()
	if err != nil {
		return nil, err
	}
	return res, nil
}

type importer struct {
	o      Options
	b      *assemble.Builder
	stacks []*Stack
	errs   Errors

	exports    map[string]exportDef
	exportVals map[string]*Value
	exportBusy map[string]bool
}

type exportDef struct {
	s     *Stack
	value *Value
	path  string
}

// accounts declares one account per distinct account id, in order of
// first appearance, named by --name or after its first template's stack.
func (im *importer) accounts() error {
	var errs []string
	seen := map[string]bool{}
	for _, s := range im.stacks {
		id := s.Account
		if seen[id] {
			continue
		}
		seen[id] = true
		if !topology.IsAccountID(id) {
			errs = append(errs, fmt.Sprintf("%s: account %q must be a 12-digit account id", s.T.File, id))
			continue
		}
		name := im.o.Names[id]
		if name == "" {
			name = AccountName(s.Name)
		}
		if name == "" || topology.IsAccountID(name) || strings.ContainsAny(name, "/ ") {
			errs = append(errs, fmt.Sprintf("%s: cannot name account %s after stack %q: give --name %s=NAME", s.T.File, id, s.Name, id))
			continue
		}
		if err := im.b.AddAccount(name, id, im.o.OrgID); err != nil {
			errs = append(errs, err.Error()+" (--name ACCOUNT=NAME)")
		}
	}
	for _, id := range slices.Sorted(maps.Keys(im.o.Names)) {
		if !seen[id] {
			errs = append(errs, fmt.Sprintf("--name %s=%s: no template is given for account %s", id, im.o.Names[id], id))
		}
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "\n"))
	}
	return nil
}

// checkParams refuses a --param no template declares (a typo would
// otherwise be ignored).
func (im *importer) checkParams() {
	for _, name := range slices.Sorted(maps.Keys(im.o.Params)) {
		declared := false
		for _, s := range im.stacks {
			declared = declared || s.T.Parameters.Get(name) != nil
		}
		if !declared {
			im.errs = append(im.errs, &Error{Msg: fmt.Sprintf("--param %s: no template declares a parameter %s", name, name)})
		}
	}
}

// where locates a value of a resource.
func where(s *Stack, r *Resource, path string, v *Value) assemble.Where {
	if v == nil {
		v = r.Node
	}
	return assemble.Where{File: s.T.File, Line: v.Line, Col: v.Col, Path: path, LogicalID: r.LogicalID}
}

// fail records an error of a resource's value.
func (im *importer) fail(s *Stack, r *Resource, err error) {
	e := &Error{File: s.T.File, LogicalID: r.LogicalID, Msg: err.Error()}
	var ee *evalError
	if errors.As(err, &ee) {
		e.Line, e.Col, e.Path, e.Msg = ee.line, ee.col, ee.path, ee.msg
	}
	if e.Line == 0 {
		e.Line, e.Col = r.Node.Line, r.Node.Col
	}
	im.errs = append(im.errs, e)
}

func (im *importer) failf(s *Stack, r *Resource, v *Value, path, format string, args ...any) {
	im.fail(s, r, errAt(v, path, format, args...))
}

// live reports whether a resource is part of its stack (its condition),
// recording an error when the condition cannot be evaluated.
func (im *importer) live(s *Stack, r *Resource, types ...string) bool {
	match := false
	for _, t := range types {
		match = match || r.Type == t
	}
	if !match {
		return false
	}
	ok, err := s.Exists(r)
	if err != nil {
		im.fail(s, r, err)
		return false
	}
	return ok
}

// name is a resource's physical name, or "" after recording an error.
func (im *importer) name(s *Stack, r *Resource) string {
	n, err := s.PhysicalName(r)
	if err != nil {
		im.fail(s, r, err)
		return ""
	}
	return n
}

// account is the name of a stack's account.
func (im *importer) account(s *Stack) string {
	n, _ := im.b.AccountName(s.Account)
	return n
}

// text evaluates an optional property to text; ok is false after an error
// (and when the property is absent, with present false).
func (im *importer) text(s *Stack, r *Resource, prop string) (val string, present, ok bool) {
	v := r.Properties.Get(prop)
	if v == nil {
		return "", false, true
	}
	e, err := s.Eval(v, r.Path(prop))
	if err != nil {
		im.fail(s, r, err)
		return "", true, false
	}
	if e.Kind == NoValue {
		return "", false, true
	}
	t, err := textOf(e, v, r.Path(prop))
	if err != nil {
		im.fail(s, r, err)
		return "", true, false
	}
	return t, true, true
}

// jsonText evaluates a JSON-typed property (a pattern, a policy) given as
// a mapping or as JSON text.
func (im *importer) jsonText(s *Stack, r *Resource, v *Value, path string) (string, bool) {
	e, err := s.Eval(v, path)
	if err != nil {
		im.fail(s, r, err)
		return "", false
	}
	if o := findOpaque(e); o != nil {
		im.failf(s, r, v, path, "%s", opaqueReason(o))
		return "", false
	}
	switch e.Kind {
	case Map:
		return e.JSON(), true
	case String:
		return e.Text, true
	}
	im.failf(s, r, v, path, "must be a JSON object (a mapping or JSON text), not a %s", e.Kind)
	return "", false
}

func (im *importer) intProp(s *Stack, r *Resource, v *Value, path string) (*int, bool) {
	if v == nil {
		return nil, true
	}
	e, err := s.Eval(v, path)
	if err != nil {
		im.fail(s, r, err)
		return nil, false
	}
	if e.Kind == NoValue {
		return nil, true
	}
	t, err := textOf(e, v, path)
	if err != nil {
		im.fail(s, r, err)
		return nil, false
	}
	n, err := strconv.Atoi(t)
	if err != nil {
		im.failf(s, r, v, path, "%q is not an integer", t)
		return nil, false
	}
	return &n, true
}

// export resolves Fn::ImportValue against the Outputs of every template.
func (im *importer) export(name string) (*Value, error) {
	if im.exports == nil {
		im.exports, im.exportVals, im.exportBusy = map[string]exportDef{}, map[string]*Value{}, map[string]bool{}
		for _, s := range im.stacks {
			if s.T.Outputs == nil {
				continue
			}
			for i, id := range s.T.Outputs.Keys {
				out := s.T.Outputs.Vals[i]
				ex := out.Get("Export").Get("Name")
				if ex == nil {
					continue
				}
				n, err := s.Text(ex, "Outputs."+id+".Export.Name")
				if err != nil {
					continue // an export nobody can name is never found
				}
				im.exports[n] = exportDef{s: s, value: out.Get("Value"), path: "Outputs." + id + ".Value"}
			}
		}
	}
	if v, ok := im.exportVals[name]; ok {
		return v, nil
	}
	def, ok := im.exports[name]
	if !ok {
		return nil, fmt.Errorf("no template of this import exports it")
	}
	if im.exportBusy[name] {
		return nil, fmt.Errorf("the export depends on itself")
	}
	im.exportBusy[name] = true
	defer delete(im.exportBusy, name)
	v, err := def.s.Eval(def.value, def.path)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", def.s.T.File, err)
	}
	im.exportVals[name] = v
	return v, nil
}
