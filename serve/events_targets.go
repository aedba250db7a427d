package serve

import (
	"strings"

	"github.com/busdrill/busdrill/sim/backbone"
	"github.com/busdrill/busdrill/topology"
)

// Targets: PutTargets, RemoveTargets, ListTargetsByRule, and how a
// target's ARN becomes one of the model's target kinds:
//
//	arn:aws:events:R:A:event-bus/NAME      bus (forward; RoleArn's role)
//	arn:aws:sqs:R:A:NAME                   queue: serve's SQS queue A/NAME
//	arn:aws:logs:R:A:log-group:NAME        log group, counted
//	arn:aws:lambda:R:A:function:NAME       handler: a preloaded scenario's
//	                                       service stand-in (else NO_RESOURCE)
//	anything else (SNS, Kinesis, ...)      a sink, counted like a log group
//
// Input, InputPath and InputTransformer are stored and listed back, but
// the delivered body is the event (input transformation is not modelled).

// MaxTargetsPerRule is AWS's fixed limit.
const MaxTargetsPerRule = 5

type arnParts struct{ service, region, account, resource string }

func parseARN(arn string) (arnParts, bool) {
	p := strings.SplitN(arn, ":", 6)
	if len(p) != 6 || p[0] != "arn" || p[2] == "" {
		return arnParts{}, false
	}
	return arnParts{service: p[2], region: p[3], account: p[4], resource: p[5]}, true
}

// targetSpec maps an API target on bus to the model's.
func (b *backend) targetSpec(t *apiTarget) (backbone.TargetSpec, topology.TargetKind, *apiError) {
	spec := backbone.TargetSpec{ID: t.Id}
	p, ok := parseARN(t.Arn)
	if !ok {
		return spec, "", validationf("Parameter %s is not valid. Reason: Provided Arn is not in correct format.", t.Arn)
	}
	acct := ""
	if accountIDRe.MatchString(p.account) {
		acct = b.account(p.account)
	}
	switch {
	case p.service == "events" && strings.HasPrefix(p.resource, "event-bus/") && acct != "":
		spec.Kind, spec.Bus = topology.KindBus, acct+"/"+strings.TrimPrefix(p.resource, "event-bus/")
		if i := strings.LastIndex(t.RoleArn, ":role/"); i >= 0 {
			role := t.RoleArn[i+len(":role/"):]
			if j := strings.LastIndexByte(role, '/'); j >= 0 {
				role = role[j+1:]
			}
			spec.Role = role
		}
	case p.service == "sqs" && acct != "" && p.resource != "":
		spec.Kind, spec.Queue = topology.KindQueue, acct+"/"+p.resource
	case p.service == "lambda" && strings.HasPrefix(p.resource, "function:") && acct != "":
		name, _, _ := strings.Cut(strings.TrimPrefix(p.resource, "function:"), ":")
		spec.Kind, spec.Handler = topology.KindHandler, acct+"/"+name
	default:
		spec.Kind, spec.Log = topology.KindLog, t.Arn
	}
	if t.DeadLetterConfig != nil && t.DeadLetterConfig.Arn != "" {
		d, ok := parseARN(t.DeadLetterConfig.Arn)
		if !ok || d.service != "sqs" || !accountIDRe.MatchString(d.account) {
			return spec, "", validationf("Parameter DeadLetterConfig.Arn is not valid. Reason: the dead-letter queue must be an SQS queue ARN.")
		}
		spec.DLQ = b.account(d.account) + "/" + d.resource
	}
	if rp := t.RetryPolicy; rp != nil {
		if v := rp.MaximumRetryAttempts; v != nil && (*v < 0 || *v > topology.MaxMaximumRetryAttempts) {
			return spec, "", validationf("1 validation error detected: Value '%d' at 'targets.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 185", *v)
		}
		if v := rp.MaximumEventAgeInSeconds; v != nil && (*v < topology.MinMaximumEventAgeInSeconds || *v > topology.MaxMaximumEventAgeInSeconds) {
			return spec, "", validationf("1 validation error detected: Value '%d' at 'targets.member.retryPolicy.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value between 60 and 86400", *v)
		}
		spec.Retry = topology.RetryPolicy{MaximumRetryAttempts: rp.MaximumRetryAttempts, MaximumEventAgeInSeconds: rp.MaximumEventAgeInSeconds}
	}
	return spec, spec.Kind, nil
}

func putTargets(b *backend, c caller, in *targetsIn) (any, *apiError) {
	bus, r, err := b.events.findRule(c.account, in.EventBusName, in.Rule)
	if err != nil {
		return nil, err
	}
	if len(in.Targets) == 0 || len(in.Targets) > 100 {
		return nil, validationf("1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length between 1 and 100")
	}
	var failed []failedTarget
	for i := range in.Targets {
		t := in.Targets[i]
		if !ruleNameRe.MatchString(t.Id) {
			return nil, validationf("1 validation error detected: Value '%s' at 'targets.%d.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+", t.Id, i+1)
		}
		n := 0
		for _, x := range []bool{t.Input != nil, t.InputPath != nil, t.InputTransformer != nil} {
			if x {
				n++
			}
		}
		if n > 1 {
			return nil, validationf("Only one of Input, InputPath, or InputTransformer must be provided for target %s.", t.Id)
		}
		if it := t.InputTransformer; it != nil {
			if msg := checkTemplate(it); msg != "" {
				return nil, validationf("InputTemplate for target %s contains invalid placeholder %s.", t.Id, msg)
			}
		}
		spec, kind, err := b.targetSpec(&t)
		if err != nil {
			return nil, err
		}
		idx := -1
		for k, x := range r.targets {
			if x.Id == t.Id {
				idx = k
			}
		}
		if idx < 0 && len(r.targets) >= MaxTargetsPerRule {
			return nil, limitExceeded()
		}
		if err := b.model.PutTarget(bus.ref, r.Name, spec); err != nil {
			failed = append(failed, failedTarget{TargetId: t.Id, ErrorCode: "ValidationException", ErrorMessage: err.Error()})
			continue
		}
		et := &ebTarget{apiTarget: t, kind: kind, consumer: bus.ref + "/" + r.Name + "/" + t.Id}
		if idx >= 0 {
			if t.RoleArn == "" && kind == topology.KindBus {
				et.RoleArn = r.targets[idx].RoleArn // a bus target keeps its role
			}
			r.targets[idx] = et
		} else {
			r.targets = append(r.targets, et)
		}
	}
	if failed == nil {
		failed = []failedTarget{}
	}
	return struct {
		FailedEntryCount int            `json:"FailedEntryCount"`
		FailedEntries    []failedTarget `json:"FailedEntries"`
	}{len(failed), failed}, nil
}

// checkTemplate returns the first placeholder of an InputTemplate that is
// neither a key of InputPathsMap nor a reserved variable, or "".
func checkTemplate(it *apiInputTransformer) string {
	s := it.InputTemplate
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			return ""
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			return ""
		}
		name := s[i+1 : i+j]
		s = s[i+j+1:]
		if strings.ContainsAny(name, " \"{}<") || name == "" {
			continue
		}
		if _, ok := it.InputPathsMap[name]; ok || strings.HasPrefix(name, "aws.events.") {
			continue
		}
		return name
	}
}

func removeTargets(b *backend, c caller, in *targetsIn) (any, *apiError) {
	bus, r, err := b.events.findRule(c.account, in.EventBusName, in.Rule)
	if err != nil {
		return nil, err
	}
	if len(in.Ids) == 0 || len(in.Ids) > 100 {
		return nil, validationf("1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length between 1 and 100")
	}
	for _, id := range in.Ids {
		kept := r.targets[:0]
		for _, t := range r.targets {
			if t.Id == id {
				if err := b.model.RemoveTarget(bus.ref, r.Name, id); err != nil {
					return nil, modelError(err)
				}
				continue
			}
			kept = append(kept, t)
		}
		r.targets = kept
	}
	return struct {
		FailedEntryCount int            `json:"FailedEntryCount"`
		FailedEntries    []failedTarget `json:"FailedEntries"`
	}{0, []failedTarget{}}, nil
}

func listTargetsByRule(b *backend, c caller, in *targetsIn) (any, *apiError) {
	_, r, err := b.events.findRule(c.account, in.EventBusName, in.Rule)
	if err != nil {
		return nil, err
	}
	all := make([]apiTarget, 0, len(r.targets))
	for _, t := range r.targets {
		all = append(all, t.apiTarget)
	}
	got, next, err := page(all, in.NextToken, in.Limit, 100)
	if err != nil {
		return nil, err
	}
	return struct {
		Targets   []apiTarget `json:"Targets"`
		NextToken *string     `json:"NextToken,omitempty"`
	}{got, next}, nil
}
