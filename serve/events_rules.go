package serve

import (
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/busdrill/busdrill/pattern"
)

// Rules: PutRule, DescribeRule, ListRules, DeleteRule, EnableRule,
// DisableRule, ListRuleNamesByTarget, TestEventPattern.

var ruleNameRe = regexp.MustCompile(`^[\.\-_A-Za-z0-9]{1,64}$`)

// Rule states.
const (
	stateEnabled    = "ENABLED"
	stateDisabled   = "DISABLED"
	stateCloudTrail = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
)

// MaxRulesPerBus is the rules-per-bus quota ([QUOTA]: 300).
const MaxRulesPerBus = 300

// MaxPatternChars is the API's EventPattern length limit (4,096; the
// adjustable quota is 2,048, which topology validation checks for
// scenarios).
const MaxPatternChars = 4096

func ruleNameError(name string) *apiError {
	return validationf("1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+", name)
}

// compilePattern compiles an EventPattern with AWS's error.
func compilePattern(src string) (*pattern.Pattern, *apiError) {
	if len(src) > MaxPatternChars {
		return nil, validationf("1 validation error detected: Value at 'eventPattern' failed to satisfy constraint: Member must have length less than or equal to %d", MaxPatternChars)
	}
	p, err := pattern.Compile([]byte(src))
	if err != nil {
		if pe, ok := err.(*pattern.Error); ok {
			return nil, &apiError{Code: pe.Code, Message: pe.Message}
		}
		return nil, &apiError{Code: "InvalidEventPatternException", Message: err.Error()}
	}
	return p, nil
}

func putRule(b *backend, c caller, in *ruleIn) (any, *apiError) {
	a, bus, err := b.events.resolveBus(c.account, in.EventBusName)
	if err != nil {
		return nil, err
	}
	if !ruleNameRe.MatchString(in.Name) {
		return nil, ruleNameError(in.Name)
	}
	if in.EventPattern == nil && in.ScheduleExpression == nil {
		return nil, validationf("Parameter(s) EventPattern or ScheduleExpression must be specified.")
	}
	state := in.State
	switch state {
	case "":
		state = stateEnabled
	case stateEnabled, stateDisabled, stateCloudTrail:
	default:
		return nil, validationf("1 validation error detected: Value '%s' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]", state)
	}
	var p *pattern.Pattern
	if in.EventPattern != nil {
		if p, err = compilePattern(*in.EventPattern); err != nil {
			return nil, err
		}
	}
	r := bus.rules[in.Name]
	if r == nil && len(bus.rules) >= MaxRulesPerBus {
		return nil, limitExceeded()
	}
	if err := b.model.PutRule(bus.ref, in.Name, p, state != stateDisabled); err != nil {
		return nil, modelError(err)
	}
	if r == nil {
		r = &ebRule{Name: in.Name, Arn: ruleARN(b.region, a.id, bus.name, in.Name), EventBusName: bus.name, CreatedBy: a.id}
		bus.rules[in.Name] = r
		if len(in.Tags) > 0 {
			b.events.setTags(r.Arn, in.Tags) // tags are ignored on update
		}
	}
	// PutRule replaces: what is left out is reset.
	r.State, r.compiled = state, p
	r.EventPattern, r.ScheduleExpression, r.Description, r.RoleArn = deref(in.EventPattern), deref(in.ScheduleExpression), deref(in.Description), deref(in.RoleArn)
	return map[string]string{"RuleArn": r.Arn}, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// findRule resolves a rule of a bus, with AWS's not-found message.
func (e *events) findRule(caller, busName, rule string) (*ebBus, *ebRule, *apiError) {
	_, bus, err := e.resolveBus(caller, busName)
	if err != nil {
		return nil, nil, err
	}
	r := bus.rules[rule]
	if r == nil {
		return bus, nil, notFound("Rule " + rule + " does not exist on EventBus " + bus.name + ".")
	}
	return bus, r, nil
}

func ruleShape(r *ebRule) apiRule {
	return apiRule{Name: r.Name, Arn: r.Arn, EventPattern: r.EventPattern, State: r.State, Description: r.Description,
		ScheduleExpression: r.ScheduleExpression, RoleArn: r.RoleArn, ManagedBy: r.ManagedBy, EventBusName: r.EventBusName, CreatedBy: r.CreatedBy}
}

func describeRule(b *backend, c caller, in *ruleIn) (any, *apiError) {
	_, r, err := b.events.findRule(c.account, in.EventBusName, in.Name)
	if err != nil {
		return nil, err
	}
	return ruleShape(r), nil
}

func listRules(b *backend, c caller, in *ruleIn) (any, *apiError) {
	_, bus, err := b.events.resolveBus(c.account, in.EventBusName)
	if err != nil {
		return nil, err
	}
	var all []apiRule
	for _, name := range slices.Sorted(maps.Keys(bus.rules)) {
		if strings.HasPrefix(name, in.NamePrefix) {
			r := ruleShape(bus.rules[name])
			r.CreatedBy = ""
			all = append(all, r)
		}
	}
	got, next, err := page(all, in.NextToken, in.Limit, 100)
	if err != nil {
		return nil, err
	}
	if got == nil {
		got = []apiRule{}
	}
	return struct {
		Rules     []apiRule `json:"Rules"`
		NextToken *string   `json:"NextToken,omitempty"`
	}{got, next}, nil
}

func deleteRule(b *backend, c caller, in *ruleIn) (any, *apiError) {
	bus, r, err := b.events.findRule(c.account, in.EventBusName, in.Name)
	if err != nil {
		if bus != nil {
			return struct{}{}, nil // a repeated delete succeeds
		}
		return nil, err
	}
	if len(r.targets) > 0 {
		return nil, validationf("Rule can't be deleted since it has targets.")
	}
	if err := b.model.DeleteRule(bus.ref, r.Name); err != nil {
		return nil, modelError(err)
	}
	delete(bus.rules, r.Name)
	delete(b.events.tags, r.Arn)
	return struct{}{}, nil
}

func enableRule(b *backend, c caller, in *ruleIn) (any, *apiError) {
	return setRuleState(b, c, in, stateEnabled)
}
func disableRule(b *backend, c caller, in *ruleIn) (any, *apiError) {
	return setRuleState(b, c, in, stateDisabled)
}

func setRuleState(b *backend, c caller, in *ruleIn, state string) (any, *apiError) {
	bus, r, err := b.events.findRule(c.account, in.EventBusName, in.Name)
	if err != nil {
		return nil, err
	}
	if err := b.model.PutRule(bus.ref, r.Name, r.compiled, state == stateEnabled); err != nil {
		return nil, modelError(err)
	}
	r.State = state
	return struct{}{}, nil
}

func listRuleNamesByTarget(b *backend, c caller, in *ruleIn) (any, *apiError) {
	_, bus, err := b.events.resolveBus(c.account, in.EventBusName)
	if err != nil {
		return nil, err
	}
	var all []string
	for _, name := range slices.Sorted(maps.Keys(bus.rules)) {
		for _, t := range bus.rules[name].targets {
			if t.Arn == in.TargetArn {
				all = append(all, name)
				break
			}
		}
	}
	got, next, err := page(all, in.NextToken, in.Limit, 100)
	if err != nil {
		return nil, err
	}
	if got == nil {
		got = []string{}
	}
	return struct {
		RuleNames []string `json:"RuleNames"`
		NextToken *string  `json:"NextToken,omitempty"`
	}{got, next}, nil
}

// testEventPattern is TestEventPattern: the event must be a JSON object
// with id, account, source, time, region, resources and detail-type.
func testEventPattern(b *backend, c caller, in *testPatternIn) (any, *apiError) {
	p, err := compilePattern(in.EventPattern)
	if err != nil {
		return nil, err
	}
	var ev map[string]json.RawMessage
	if json.Unmarshal([]byte(in.Event), &ev) != nil {
		return nil, validationf("Parameter Event is not valid.")
	}
	for _, k := range []string{"id", "account", "source", "time", "region", "resources", "detail-type"} {
		if _, ok := ev[k]; !ok {
			return nil, validationf("Parameter Event is not valid.")
		}
	}
	ok, merr := p.MatchJSON([]byte(in.Event))
	if merr != nil {
		return nil, validationf("Parameter Event is not valid.")
	}
	return map[string]bool{"Result": ok}, nil
}
