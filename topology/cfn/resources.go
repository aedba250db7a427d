package cfn

import (
	"strings"

	"github.com/busdrill/busdrill/topology"
	"github.com/busdrill/busdrill/topology/assemble"
)

// The import's phases, each over every stack in turn: buses first, so
// that policies, rules and archives of any template can refer to a bus of
// any other.

// buses declares every AWS::Events::EventBus with the statements of its
// Policy property.
func (im *importer) buses(s *Stack) {
	for _, r := range s.T.Resources {
		if !im.live(s, r, TypeEventBus) {
			continue
		}
		name := im.name(s, r)
		if name == "" {
			continue
		}
		ref := im.b.AddBus(im.account(s), name, where(s, r, r.Path(""), nil))
		if p := r.Properties.Get("Policy"); p != nil {
			if doc, ok := im.jsonText(s, r, p, r.Path("Policy")); ok {
				im.b.AddPolicy(ref, []byte(doc), where(s, r, r.Path("Policy"), p))
			}
		}
	}
}

// busOf resolves an EventBusName property (a name or an ARN; absent is
// the default bus) to a declared bus, declaring default buses.
func (im *importer) busOf(s *Stack, r *Resource, prop string) (string, bool) {
	name := "default"
	if v := r.Properties.Get(prop); v != nil {
		t, present, ok := im.text(s, r, prop)
		if !ok {
			return "", false
		}
		if present {
			name = t
		}
	}
	ref, why := im.b.BusRef(im.account(s), name)
	if ref == "" {
		im.failf(s, r, r.Properties.Get(prop), r.Path(prop), "%s", why)
		return "", false
	}
	if !im.b.HasBus(ref) {
		acct, bus, _ := topology.SplitRef(ref)
		if bus != "default" {
			im.failf(s, r, r.Properties.Get(prop), r.Path(prop), "bus %s is not defined by any template of account %s%s", bus, acct, hint)
			return "", false
		}
		im.b.AddBus(acct, bus, assemble.Where{})
	}
	return ref, true
}

// policies adds the statements of every AWS::Events::EventBusPolicy: a
// Statement document, or the older StatementId/Action/Principal/Condition
// form.
func (im *importer) policies(s *Stack) {
	for _, r := range s.T.Resources {
		if !im.live(s, r, TypeEventBusPolicy) {
			continue
		}
		ref, ok := im.busOf(s, r, "EventBusName")
		if !ok {
			continue
		}
		w := where(s, r, r.Path(""), nil)
		sid, _, ok := im.text(s, r, "StatementId")
		if !ok {
			continue
		}
		if st := r.Properties.Get("Statement"); st != nil {
			doc, ok := im.jsonText(s, r, st, r.Path("Statement"))
			if !ok {
				continue
			}
			if sid != "" && !strings.Contains(doc, `"Sid"`) && strings.HasPrefix(doc, "{") {
				doc = `{"Sid":` + string(appendQuoted(nil, sid)) + "," + doc[1:]
			}
			im.b.AddPolicy(ref, []byte(`{"Statement":[`+doc+`]}`), w)
			continue
		}
		action, _, ok1 := im.text(s, r, "Action")
		principal, _, ok2 := im.text(s, r, "Principal")
		if !ok1 || !ok2 {
			continue
		}
		if action != topology.ActionPutEvents && action != "events:*" {
			im.b.Note(w, ref, assemble.Info, "statement %q allows %s, not events:PutEvents; the model checks only PutEvents", sid, action)
			continue
		}
		org := ""
		if c := r.Properties.Get("Condition"); c != nil {
			e, err := s.Eval(c, r.Path("Condition"))
			if err != nil {
				im.fail(s, r, err)
				continue
			}
			typ, key, val := e.Get("Type"), e.Get("Key"), e.Get("Value")
			if typ != nil && key != nil && val != nil && typ.Text == "StringEquals" && strings.EqualFold(key.Text, "aws:PrincipalOrgID") {
				org = val.Text
			} else {
				im.b.Note(w, ref, assemble.Warning, "statement %q: its condition is not modelled: the model lets through senders it would refuse", sid)
			}
		}
		im.b.AddStatement(ref, sid, principal, org, w)
	}
}

func appendQuoted(dst []byte, s string) []byte {
	return (&Value{Kind: String, Text: s}).AppendJSON(dst)
}

// queues declares every AWS::SQS::Queue.
func (im *importer) queues(s *Stack) {
	for _, r := range s.T.Resources {
		if !im.live(s, r, TypeQueue) {
			continue
		}
		if name := im.name(s, r); name != "" {
			im.b.AddQueue(im.account(s), name, where(s, r, r.Path(""), nil))
		}
	}
}

// rules adds every AWS::Events::Rule with an event pattern, and its
// targets.
func (im *importer) rules(s *Stack) {
	for _, r := range s.T.Resources {
		if !im.live(s, r, TypeRule) {
			continue
		}
		w := where(s, r, r.Path(""), nil)
		pv := r.Properties.Get("EventPattern")
		if pv == nil {
			im.b.Note(w, "", assemble.Info, "rule %s has no event pattern (a scheduled rule): not part of the event routing, not imported", r.LogicalID)
			continue
		}
		ref, ok := im.busOf(s, r, "EventBusName")
		if !ok {
			continue
		}
		name := im.name(s, r)
		pattern, ok1 := im.jsonText(s, r, pv, r.Path("EventPattern"))
		state, _, ok2 := im.text(s, r, "State")
		desc, _, ok3 := im.text(s, r, "Description")
		if name == "" || !ok1 || !ok2 || !ok3 {
			continue
		}
		ruleRef := ref + "/" + name
		if r.Properties.Get("ScheduleExpression") != nil {
			im.b.Note(w, ruleRef, assemble.Info, "rule %s also has a schedule, which the model does not run", r.LogicalID)
		}
		rs := topology.RuleState(state)
		switch state {
		case "":
			rs = topology.Enabled
		case "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS":
			rs = topology.Enabled
			im.b.Note(w, ruleRef, assemble.Info, "rule %s is ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS; the model has no CloudTrail events and runs it ENABLED", r.LogicalID)
		}
		rule := im.b.AddRule(ref, topology.Rule{Name: name, Pattern: pattern, State: rs, Description: desc}, w)
		im.targets(s, r, rule, ruleRef)
	}
}

// targetKeys are the target properties the model carries or deliberately
// ignores; any other (EcsParameters, HttpParameters, ...) is noted.
var targetKeys = map[string]bool{"Id": true, "Arn": true, "RoleArn": true, "DeadLetterConfig": true, "RetryPolicy": true}

func (im *importer) targets(s *Stack, r *Resource, rule *assemble.Rule, ruleRef string) {
	tv := r.Properties.Get("Targets")
	if tv == nil {
		return
	}
	path := r.Path("Targets")
	list, err := s.Eval(tv, path)
	if err != nil {
		im.fail(s, r, err)
		return
	}
	if list.Kind != List {
		im.failf(s, r, tv, path, "must be a list of targets")
		return
	}
	for k, t := range list.Items {
		tp := indexPath(path, k)
		w := where(s, r, tp, t)
		if t.Kind != Map {
			im.failf(s, r, t, tp, "a target is a mapping")
			continue
		}
		id, ok := targetText(im, s, r, t, tp, "Id", true)
		if !ok {
			continue
		}
		arnV := t.Get("Arn")
		if arnV == nil {
			im.failf(s, r, t, tp+".Arn", "a target needs an Arn")
			continue
		}
		if arnV.Kind == Opaque && arnV.Type != "" {
			im.b.Note(w, ruleRef+"/"+id, assemble.Warning, "target %s (%s) is not imported: busdrill models bus, SQS, CloudWatch Logs and Lambda targets; its deliveries are not checked", id, arnV.Text)
			continue
		}
		arn, ok := targetText(im, s, r, t, tp, "Arn", true)
		role, ok2 := targetText(im, s, r, t, tp, "RoleArn", false)
		dlq, ok3 := targetText(im, s, r, t.Get("DeadLetterConfig"), tp+".DeadLetterConfig", "Arn", false)
		if !ok || !ok2 || !ok3 {
			continue
		}
		spec := assemble.TargetSpec{ID: id, ARN: arn, RoleARN: role, DLQARN: dlq, Where: w}
		if rp := t.Get("RetryPolicy"); rp != nil {
			a, ok1 := intOf(im, s, r, rp.Get("MaximumRetryAttempts"), tp+".RetryPolicy.MaximumRetryAttempts")
			e, ok2 := intOf(im, s, r, rp.Get("MaximumEventAgeInSeconds"), tp+".RetryPolicy.MaximumEventAgeInSeconds")
			if !ok1 || !ok2 {
				continue
			}
			spec.Retry = topology.RetryPolicy{MaximumRetryAttempts: a, MaximumEventAgeInSeconds: e}
		}
		for _, key := range t.Keys {
			switch {
			case targetKeys[key]:
			case key == "Input" || key == "InputPath" || key == "InputTransformer":
				im.b.Note(w, ruleRef+"/"+id, assemble.Info, "target %s: its %s is not modelled: the model delivers the whole event", id, key)
			default:
				im.b.Note(w, ruleRef+"/"+id, assemble.Info, "target %s: %s is not modelled", id, key)
			}
		}
		rule.AddTarget(spec)
	}
}

// targetText reads an already evaluated text field of a target.
func targetText(im *importer, s *Stack, r *Resource, m *Value, path, key string, required bool) (string, bool) {
	v := m.Get(key)
	if v == nil {
		if required {
			im.failf(s, r, m, path+"."+key, "a target needs %s", key)
			return "", false
		}
		return "", true
	}
	t, err := textOf(v, v, path+"."+key)
	if err != nil {
		im.fail(s, r, err)
		return "", false
	}
	return t, true
}

func intOf(im *importer, s *Stack, r *Resource, v *Value, path string) (*int, bool) {
	return im.intProp(s, r, v, path)
}

// archives adds every AWS::Events::Archive of a bus of the import.
func (im *importer) archives(s *Stack) {
	for _, r := range s.T.Resources {
		if !im.live(s, r, TypeArchive) {
			continue
		}
		src, _, ok := im.text(s, r, "SourceArn")
		if !ok {
			continue
		}
		ref, why := im.b.BusRef(im.account(s), src)
		if ref == "" || !im.b.HasBus(ref) {
			if why == "" {
				why = "bus " + src + " is not defined by any template" + hint
			}
			im.failf(s, r, r.Properties.Get("SourceArn"), r.Path("SourceArn"), "%s", why)
			continue
		}
		name := im.name(s, r)
		days, ok1 := im.intProp(s, r, r.Properties.Get("RetentionDays"), r.Path("RetentionDays"))
		pattern := ""
		ok2 := true
		if pv := r.Properties.Get("EventPattern"); pv != nil {
			pattern, ok2 = im.jsonText(s, r, pv, r.Path("EventPattern"))
		}
		if name == "" || !ok1 || !ok2 {
			continue
		}
		a := topology.Archive{Name: name, Bus: ref, Pattern: pattern}
		if days != nil {
			a.RetentionDays = *days
		}
		im.b.AddArchive(a, where(s, r, r.Path(""), nil))
	}
}

// redrive records what consumes or watches a queue: a Lambda event source
// mapping or a pipe reading it, or a CloudWatch alarm on one of its
// metrics. These are the evidence of a redrive plan for a dead-letter
// queue. Best effort: a value that cannot be resolved is no evidence.
func (im *importer) redrive(s *Stack) {
	facts := im.b.Facts()
	add := func(ref string, r *Resource) {
		if ref == "" {
			return
		}
		if facts.Redrive == nil {
			facts.Redrive = map[string]string{}
		}
		if _, ok := facts.Redrive[ref]; !ok {
			facts.Redrive[ref] = r.Type + " " + r.LogicalID + " (" + s.T.File + ")"
		}
	}
	for _, r := range s.T.Resources {
		var prop string
		switch r.Type {
		case "AWS::Lambda::EventSourceMapping":
			prop = "EventSourceArn"
		case "AWS::Pipes::Pipe":
			prop = "Source"
		case "AWS::CloudWatch::Alarm":
			ns, err := s.Text(r.Properties.Get("Namespace"), r.Path("Namespace"))
			if err != nil || ns != "AWS/SQS" {
				continue
			}
			dims, err := s.Eval(r.Properties.Get("Dimensions"), r.Path("Dimensions"))
			if err != nil || dims.Kind != List {
				continue
			}
			for _, d := range dims.Items {
				if n := d.Get("Name"); n != nil && n.Text == "QueueName" {
					if v := d.Get("Value"); v != nil && v.Kind == String {
						add(im.account(s)+"/"+v.Text, r)
					}
				}
			}
			continue
		default:
			continue
		}
		if ok, err := s.Exists(r); err != nil || !ok {
			continue
		}
		arn, err := s.Text(r.Properties.Get(prop), r.Path(prop))
		if err != nil {
			continue
		}
		ref, _ := im.b.QueueRef(arn)
		add(ref, r)
	}
}

// transforms notes the macros a template declares: what they would create
// is not in the template as written.
func (im *importer) transforms(s *Stack) {
	for _, t := range s.T.Transforms {
		im.b.Note(assemble.Where{File: s.T.File}, "", assemble.Warning,
			"the template uses the transform %s: the resources it creates (such as rules of AWS::Serverless::Function events) are not imported; import the processed template (aws cloudformation get-template --template-stage Processed)", t)
	}
}
