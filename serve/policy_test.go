package serve

import (
	"reflect"
	"testing"

	"github.com/busdrill/busdrill/topology"
)

// What the model enforces of a policy document.
func TestModelStatements(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		want      []topology.Statement
	}{
		{"account root", `{"Version":"2012-10-17","Statement":[{"Sid":"a","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"events:PutEvents","Resource":"x"}]}`,
			[]topology.Statement{{Sid: "a", Principal: "222222222222", Action: topology.ActionPutEvents}}},
		{"one statement, an account id and a list of actions", `{"Statement":{"Sid":"b","Effect":"Allow","Principal":{"AWS":["333333333333"]},"Action":["events:PutRule","events:*"]}}`,
			[]topology.Statement{{Sid: "b", Principal: "333333333333", Action: topology.ActionPutEvents}}},
		{"org condition", `{"Statement":[{"Sid":"o","Effect":"Allow","Principal":"*","Action":"events:PutEvents","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}`,
			[]topology.Statement{{Sid: "o", Principal: "*", OrgID: "o-1", Action: topology.ActionPutEvents}}},
		{"deny, other actions and other conditions are not enforced", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"events:PutEvents"},` +
			`{"Effect":"Allow","Principal":"*","Action":"events:PutRule"},{"Effect":"Allow","Principal":"*","Action":"events:PutEvents","Condition":{"StringLike":{"x":"y"}}}]}`, nil},
	} {
		sts, err := parsePolicy(tc.doc)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := modelStatements(sts); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
	for _, bad := range []string{`{`, `{"Statement":[{"Effect":"Maybe"}]}`, `{"Statement":"x"}`} {
		if _, err := parsePolicy(bad); err == nil || err.Code != "ValidationException" {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// Policy documents from users never panic the parser, and what it
// accepts renders and parses back to the same statements.
func FuzzParsePolicy(f *testing.F) {
	f.Add(`{"Version":"2012-10-17","Statement":[{"Sid":"a","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"events:PutEvents"}]}`)
	f.Add(`{"Statement":{"Effect":"Deny","Principal":"*","Action":["events:*"]}}`)
	f.Fuzz(func(t *testing.T, doc string) {
		sts, err := parsePolicy(doc)
		if err != nil {
			return
		}
		modelStatements(sts)
		again, err := parsePolicy(renderPolicy(sts))
		if len(sts) > 0 && (err != nil || len(again) != len(sts)) {
			t.Fatalf("%q: render/parse: %v %d/%d", doc, err, len(again), len(sts))
		}
	})
}

// PutEvents bodies from clients never panic the decoder.
func FuzzDecodePutEvents(f *testing.F) {
	f.Add(`{"Entries":[{"Source":"s","DetailType":"t","Detail":"{}","Time":1767225600.5,"Resources":["r"]}]}`)
	f.Add(`{"Entries":[{"Time":-1}]}`)
	f.Fuzz(func(t *testing.T, body string) {
		decodePutEvents([]byte(body))
	})
}
