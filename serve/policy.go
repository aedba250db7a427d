package serve

import (
	"encoding/json"
	"strings"

	"github.com/busdrill/busdrill/topology"
)

// MaxPolicyChars is the event bus policy size quota ([QUOTA]: 10,240).
const MaxPolicyChars = 10240

// policyStatement is one statement of a bus resource policy, as IAM
// writes it. Serve stores what it is given and shows it back; the model
// enforces what it models (see modelStatements).
type policyStatement struct {
	Sid       string          `json:"Sid,omitempty"`
	Effect    string          `json:"Effect"`
	Principal json.RawMessage `json:"Principal"`
	Action    json.RawMessage `json:"Action"`
	Resource  json.RawMessage `json:"Resource,omitempty"`
	Condition json.RawMessage `json:"Condition,omitempty"`
}

type policyDocument struct {
	Version   string            `json:"Version"`
	Statement []policyStatement `json:"Statement"`
}

// render writes the policy document DescribeEventBus returns.
func renderPolicy(sts []policyStatement) string {
	if len(sts) == 0 {
		return ""
	}
	b, _ := json.Marshal(policyDocument{Version: "2012-10-17", Statement: sts})
	return string(b)
}

// parsePolicy reads a Policy document given to PutPermission. The
// Statement may be one object or a list.
func parsePolicy(doc string) ([]policyStatement, *apiError) {
	if len(doc) > MaxPolicyChars {
		return nil, &apiError{Code: "PolicyLengthExceededException", Message: "Event bus policy length exceeded the limit of 10240 characters."}
	}
	var raw struct {
		Version   string          `json:"Version"`
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(doc), &raw); err != nil {
		return nil, validationf("Parameter Policy is not valid. Reason: %v", err)
	}
	var sts []policyStatement
	if len(raw.Statement) > 0 && raw.Statement[0] == '{' {
		var one policyStatement
		if err := json.Unmarshal(raw.Statement, &one); err != nil {
			return nil, validationf("Parameter Policy is not valid. Reason: %v", err)
		}
		sts = []policyStatement{one}
	} else if err := json.Unmarshal(raw.Statement, &sts); err != nil {
		return nil, validationf("Parameter Policy is not valid. Reason: %v", err)
	}
	for _, s := range sts {
		if s.Effect != "Allow" && s.Effect != "Deny" {
			return nil, validationf("Parameter Policy is not valid. Reason: Effect must be Allow or Deny.")
		}
	}
	return sts, nil
}

// permissionStatement is the statement PutPermission's Action form adds:
// a 12-digit principal becomes arn:aws:iam::ID:root, "*" stays "*".
func permissionStatement(sid, action, principal, busARN string, cond *apiCondition) policyStatement {
	var p json.RawMessage
	if principal == "*" {
		p = json.RawMessage(`"*"`)
	} else {
		p, _ = json.Marshal(map[string]string{"AWS": "arn:aws:iam::" + principal + ":root"})
	}
	a, _ := json.Marshal(action)
	r, _ := json.Marshal(busARN)
	st := policyStatement{Sid: sid, Effect: "Allow", Principal: p, Action: a, Resource: r}
	if cond != nil {
		st.Condition, _ = json.Marshal(map[string]map[string]string{cond.Type: {cond.Key: cond.Value}})
	}
	return st
}

// modelStatements converts a policy to the statements the model
// enforces: Allow statements whose action covers events:PutEvents, for a
// principal account (an id, an account root ARN) or "*", with at most an
// aws:PrincipalOrgID StringEquals condition. Deny statements and other
// conditions are stored and shown but not enforced (not modelled).
func modelStatements(sts []policyStatement) []topology.Statement {
	var out []topology.Statement
	for _, s := range sts {
		if s.Effect != "Allow" || !coversPutEvents(s.Action) {
			continue
		}
		org := ""
		if len(s.Condition) > 0 {
			var c map[string]map[string]json.RawMessage
			if json.Unmarshal(s.Condition, &c) != nil {
				continue
			}
			v, ok := c["StringEquals"]["aws:PrincipalOrgID"]
			if !ok || len(c) != 1 || len(c["StringEquals"]) != 1 || json.Unmarshal(v, &org) != nil {
				continue
			}
		}
		for _, p := range principals(s.Principal) {
			out = append(out, topology.Statement{Sid: s.Sid, Principal: p, OrgID: org, Action: topology.ActionPutEvents})
		}
	}
	return out
}

func coversPutEvents(action json.RawMessage) bool {
	var list []string
	var one string
	if json.Unmarshal(action, &one) == nil {
		list = []string{one}
	} else if json.Unmarshal(action, &list) != nil {
		return false
	}
	for _, a := range list {
		if a == topology.ActionPutEvents || a == "events:*" || a == "*" {
			return true
		}
	}
	return false
}

// principals returns the account ids (or "*") a Principal names.
func principals(p json.RawMessage) []string {
	var star string
	if json.Unmarshal(p, &star) == nil {
		if star == "*" {
			return []string{"*"}
		}
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(p, &m) != nil {
		return nil
	}
	var vals []string
	var one string
	if json.Unmarshal(m["AWS"], &one) == nil {
		vals = []string{one}
	} else {
		json.Unmarshal(m["AWS"], &vals)
	}
	var out []string
	for _, v := range vals {
		switch {
		case v == "*":
			out = append(out, "*")
		case accountIDRe.MatchString(v):
			out = append(out, v)
		case strings.HasPrefix(v, "arn:aws:iam::") && strings.HasSuffix(v, ":root"):
			if id := strings.TrimSuffix(strings.TrimPrefix(v, "arn:aws:iam::"), ":root"); accountIDRe.MatchString(id) {
				out = append(out, id)
			}
		}
	}
	return out
}
