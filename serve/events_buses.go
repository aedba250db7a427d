package serve

import (
	"maps"
	"regexp"
	"slices"
	"strings"
)

// Event buses and their resource policies: CreateEventBus,
// DeleteEventBus, DescribeEventBus, ListEventBuses, PutPermission,
// RemovePermission.

var (
	busNameRe = regexp.MustCompile(`^[/\.\-_A-Za-z0-9]{1,256}$`)
	sidRe     = regexp.MustCompile(`^[a-zA-Z0-9\-_]{1,64}$`)
	actionRe  = regexp.MustCompile(`^events:[a-zA-Z]+$`)
)

// MaxBusesPerAccount is the event buses quota ([QUOTA]: 100 per account
// per Region), the default bus included.
const MaxBusesPerAccount = 100

func createEventBus(b *backend, c caller, in *busNameIn) (any, *apiError) {
	a := b.events.acct(c.account)
	switch {
	case !busNameRe.MatchString(in.Name) || strings.HasPrefix(in.Name, "aws."):
		return nil, validationf("1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+", in.Name)
	case a.buses[in.Name] != nil:
		return nil, alreadyExists("Event bus " + in.Name + " already exists.")
	case len(a.buses) >= MaxBusesPerAccount:
		return nil, limitExceeded()
	}
	if err := b.model.CreateBus(a.name + "/" + in.Name); err != nil {
		return nil, modelError(err)
	}
	bus := b.events.addBus(a, in.Name, in.Description)
	if len(in.Tags) > 0 {
		b.events.setTags(bus.arn, in.Tags)
	}
	return map[string]string{"EventBusArn": bus.arn}, nil
}

func deleteEventBus(b *backend, c caller, in *busNameIn) (any, *apiError) {
	a := b.events.acct(c.account)
	if in.Name == "default" {
		return nil, validationf("Cannot delete event bus default.")
	}
	bus := a.buses[in.Name]
	if bus == nil {
		return struct{}{}, nil // deleting what does not exist succeeds
	}
	if err := b.model.DeleteBus(bus.ref); err != nil {
		return nil, modelError(err)
	}
	for _, r := range bus.rules {
		delete(b.events.tags, r.Arn)
	}
	delete(b.events.tags, bus.arn)
	delete(a.buses, in.Name)
	return struct{}{}, nil
}

func describeEventBus(b *backend, c caller, in *busNameIn) (any, *apiError) {
	_, bus, err := b.events.resolveBus(c.account, in.Name)
	if err != nil {
		return nil, err
	}
	return busShape(bus), nil
}

func busShape(bus *ebBus) apiEventBus {
	return apiEventBus{Name: bus.name, Arn: bus.arn, Description: bus.description, Policy: renderPolicy(bus.policy),
		CreationTime: epochOf(bus.created), LastModifiedTime: epochOf(bus.modified)}
}

func listEventBuses(b *backend, c caller, in *busNameIn) (any, *apiError) {
	a := b.events.acct(c.account)
	var all []apiEventBus
	for _, name := range slices.Sorted(maps.Keys(a.buses)) {
		if strings.HasPrefix(name, in.NamePrefix) {
			all = append(all, busShape(a.buses[name]))
		}
	}
	got, next, err := page(all, in.NextToken, in.Limit, 100)
	if err != nil {
		return nil, err
	}
	if got == nil {
		got = []apiEventBus{}
	}
	return struct {
		EventBuses []apiEventBus `json:"EventBuses"`
		NextToken  *string       `json:"NextToken,omitempty"`
	}{got, next}, nil
}

func putPermission(b *backend, c caller, in *permissionIn) (any, *apiError) {
	_, bus, err := b.events.resolveBus(c.account, in.EventBusName)
	if err != nil {
		return nil, err
	}
	var sts []policyStatement
	if in.Policy != "" {
		if in.Action != "" || in.Principal != "" || in.StatementId != "" {
			return nil, validationf("Parameter Policy cannot be combined with Action, Principal or StatementId.")
		}
		if sts, err = parsePolicy(in.Policy); err != nil {
			return nil, err
		}
	} else {
		switch {
		case !actionRe.MatchString(in.Action):
			return nil, validationf("1 validation error detected: Value '%s' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: events:[a-zA-Z]+", in.Action)
		case in.Principal != "*" && !accountIDRe.MatchString(in.Principal):
			return nil, validationf("1 validation error detected: Value '%s' at 'principal' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\d{12}|\\*)", in.Principal)
		case !sidRe.MatchString(in.StatementId):
			return nil, validationf("1 validation error detected: Value '%s' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+", in.StatementId)
		case in.Condition != nil && (in.Condition.Type != "StringEquals" || in.Condition.Key != "aws:PrincipalOrgID"):
			return nil, validationf("Parameter Condition is not valid. Reason: only StringEquals on aws:PrincipalOrgID is supported.")
		}
		st := permissionStatement(in.StatementId, in.Action, in.Principal, bus.arn, in.Condition)
		sts = append(sts, bus.policy...)
		replaced := false
		for i := range sts {
			if sts[i].Sid == in.StatementId {
				sts[i], replaced = st, true // a repeated Sid replaces (UNCONFIRMED, as the model)
			}
		}
		if !replaced {
			sts = append(sts, st)
		}
		if len(renderPolicy(sts)) > MaxPolicyChars {
			return nil, &apiError{Code: "PolicyLengthExceededException", Message: "Event bus policy length exceeded the limit of 10240 characters."}
		}
	}
	return struct{}{}, b.events.setPolicy(bus, sts)
}

func removePermission(b *backend, c caller, in *permissionIn) (any, *apiError) {
	_, bus, err := b.events.resolveBus(c.account, in.EventBusName)
	if err != nil {
		return nil, err
	}
	if in.RemoveAllPermissions {
		return struct{}{}, b.events.setPolicy(bus, nil)
	}
	var kept []policyStatement
	found := false
	for _, s := range bus.policy {
		if s.Sid == in.StatementId {
			found = true
			continue
		}
		kept = append(kept, s)
	}
	if !found {
		return nil, notFound("Statement with the provided id does not exist.")
	}
	return struct{}{}, b.events.setPolicy(bus, kept)
}

// setPolicy records a bus's new policy and hands the model what it
// enforces, to apply after the control-plane lag.
func (e *events) setPolicy(bus *ebBus, sts []policyStatement) *apiError {
	if err := e.b.model.SetPolicy(bus.ref, modelStatements(sts)); err != nil {
		return modelError(err)
	}
	bus.policy = sts
	bus.modified = e.b.wall()
	return nil
}

// modelError converts a model error to an API error.
func modelError(err error) *apiError {
	if e, ok := err.(interface{ Error() string }); ok {
		if be, ok := err.(*backboneAPIError); ok {
			return &apiError{Code: be.Code, Message: be.Message}
		}
		return internalError(e)
	}
	return nil
}
