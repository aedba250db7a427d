package assemble

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/busdrill/busdrill/topology"
)

// maxPolicyBytes bounds a bus policy: AWS's quota is 10,240 characters;
// a policy far beyond it is not one.
const maxPolicyBytes = 1 << 20

// statement is one statement of a bus policy as the model keeps it: who
// may PutEvents ("*" or a 12-digit account id) and the organization
// condition.
type statement struct {
	Sid, Principal, OrgID string
}

// policyNote is something of a policy the model does not keep.
type policyNote struct {
	severity, msg string
}

// parsePolicy reads a bus resource policy document (IAM JSON) and returns
// the statements that allow events:PutEvents. What the model cannot keep
// is named in notes: Deny statements, statements for other actions or
// for service principals, conditions other than aws:PrincipalOrgID, role
// principals (kept as their whole account). A statement without a Sid is
// named statement-N; one with several principals becomes one statement
// per principal (SID, SID-2, ...).
func parsePolicy(doc []byte) ([]statement, []policyNote, error) {
	if len(doc) > maxPolicyBytes {
		return nil, nil, fmt.Errorf("the policy is %d bytes, over %d", len(doc), maxPolicyBytes)
	}
	var p struct {
		Statement json.RawMessage
	}
	if err := json.Unmarshal(doc, &p); err != nil {
		return nil, nil, fmt.Errorf("the policy is not JSON: %v", err)
	}
	var raws []json.RawMessage
	if t := strings.TrimSpace(string(p.Statement)); strings.HasPrefix(t, "[") {
		if err := json.Unmarshal(p.Statement, &raws); err != nil {
			return nil, nil, fmt.Errorf("its Statement: %v", err)
		}
	} else if t != "" {
		raws = []json.RawMessage{p.Statement}
	}
	var out []statement
	var notes []policyNote
	for i, raw := range raws {
		st, ns, err := parseStatement(raw, i)
		if err != nil {
			return nil, nil, fmt.Errorf("its Statement[%d]: %v", i, err)
		}
		out = append(out, st...)
		notes = append(notes, ns...)
	}
	return out, notes, nil
}

type rawStatement struct {
	Sid          string
	Effect       string
	Principal    json.RawMessage
	NotPrincipal json.RawMessage
	Action       json.RawMessage
	NotAction    json.RawMessage
	Condition    map[string]map[string]json.RawMessage
}

func parseStatement(raw json.RawMessage, i int) ([]statement, []policyNote, error) {
	var s rawStatement
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, nil, err
	}
	sid := s.Sid
	name := fmt.Sprintf("statement %q", sid)
	if sid == "" {
		sid = fmt.Sprintf("statement-%d", i+1)
		name = fmt.Sprintf("statement %d (no Sid)", i+1)
	}
	skip := func(why string) ([]statement, []policyNote, error) {
		return nil, []policyNote{{Warning, name + " is not imported: " + why}}, nil
	}
	if s.Effect != "Allow" {
		return skip("only Allow statements are modelled (a " + s.Effect + " statement would refuse senders the model lets through)")
	}
	if len(s.NotPrincipal) > 0 || len(s.NotAction) > 0 {
		return skip("NotPrincipal and NotAction are not modelled")
	}
	actions, err := strings1(s.Action)
	if err != nil {
		return nil, nil, fmt.Errorf("its Action: %v", err)
	}
	if !putsEvents(actions) {
		return nil, []policyNote{{Info, name + " does not allow events:PutEvents (" + strings.Join(actions, ", ") + "); the model checks only PutEvents"}}, nil
	}
	principals, service, err := principalsOf(s.Principal)
	if err != nil {
		return nil, nil, fmt.Errorf("its Principal: %v", err)
	}
	var notes []policyNote
	if service != "" {
		notes = append(notes, policyNote{Info, name + ": service principal " + service + " is not modelled"})
	}
	org := ""
	for _, op := range slices.Sorted(maps.Keys(s.Condition)) {
		for _, key := range slices.Sorted(maps.Keys(s.Condition[op])) {
			vals, err := strings1(s.Condition[op][key])
			if op == "StringEquals" && strings.EqualFold(key, "aws:PrincipalOrgID") && err == nil && len(vals) == 1 && org == "" {
				org = vals[0]
				continue
			}
			notes = append(notes, policyNote{Warning, fmt.Sprintf("%s: condition %s %s is not modelled: the model lets through senders it would refuse", name, op, key)})
		}
	}
	var out []statement
	for j, p := range principals {
		id := sid
		if j > 0 {
			id = fmt.Sprintf("%s-%d", sid, j+1)
		}
		acct, role := principalAccount(p)
		switch {
		case acct == "":
			notes = append(notes, policyNote{Warning, fmt.Sprintf("%s: principal %q is not an account, a role or *; not imported", name, p)})
			continue
		case role:
			notes = append(notes, policyNote{Warning, fmt.Sprintf("%s: principal %s is kept as its whole account %s (the model checks accounts, not roles)", name, p, acct)})
		}
		out = append(out, statement{Sid: id, Principal: acct, OrgID: org})
	}
	if len(principals) > 1 {
		notes = append(notes, policyNote{Info, fmt.Sprintf("%s has %d principals: one statement each (%s, %s-2, ...)", name, len(principals), sid, sid)})
	}
	return out, notes, nil
}

func putsEvents(actions []string) bool {
	for _, a := range actions {
		if a == "events:PutEvents" || a == "events:*" || a == "*" {
			return true
		}
	}
	return false
}

// principalsOf lists the AWS principals of a Principal element ("*", an
// account id, an account root or role ARN); service names the first
// service principal, which the model does not check.
func principalsOf(raw json.RawMessage) (principals []string, service string, err error) {
	if len(raw) == 0 {
		return nil, "", fmt.Errorf("missing")
	}
	var star string
	if json.Unmarshal(raw, &star) == nil {
		return []string{star}, "", nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, "", fmt.Errorf("want \"*\" or a mapping such as {\"AWS\": ...}")
	}
	if s, ok := m["Service"]; ok {
		ss, _ := strings1(s)
		if len(ss) > 0 {
			service = ss[0]
		}
	}
	if a, ok := m["AWS"]; ok {
		if principals, err = strings1(a); err != nil {
			return nil, "", fmt.Errorf("AWS: %v", err)
		}
	}
	return principals, service, nil
}

// principalAccount returns the account of an AWS principal ("*" stays
// "*"), and whether the principal is narrower than its account (a role or
// user).
func principalAccount(p string) (account string, narrower bool) {
	if p == "*" || topology.IsAccountID(p) {
		return p, false
	}
	a, ok := ParseARN(p)
	if !ok || a.Service != "iam" || !topology.IsAccountID(a.Account) {
		return "", false
	}
	return a.Account, a.Resource != "root"
}

// strings1 reads a JSON string or list of strings.
func strings1(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil {
		return nil, fmt.Errorf("want a string or a list of strings")
	}
	return many, nil
}
