package journal_test

import (
	"testing"

	"github.com/busdrill/busdrill/live/journal"
)

func TestPoliciesEqual(t *testing.T) {
	a := `{"Version":"2012-10-17","Statement":[{"Sid":"s1","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"events:PutEvents","Resource":"arn:aws:events:eu-west-1:1:event-bus/g"},{"Sid":"s2","Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"r"}]}`
	tests := []struct {
		comment string
		a, b    string
		want    bool
	}{
		{"identical", a, a, true},
		{"key order, whitespace and statement order do not matter", a,
			`{ "Statement": [ {"Sid":"s2","Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"r"},
			  {"Resource":"arn:aws:events:eu-west-1:1:event-bus/g","Action":"events:PutEvents","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Effect":"Allow","Sid":"s1"} ],
			  "Version": "2012-10-17" }`, true},
		{"a missing statement matters", a, `{"Version":"2012-10-17","Statement":[{"Sid":"s2","Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"r"}]}`, false},
		{"no policy equals only no policy", "", "", true},
		{"no policy is not an empty policy", "", `{"Version":"2012-10-17","Statement":[]}`, false},
	}
	for _, tt := range tests {
		got, err := journal.PoliciesEqual(tt.a, tt.b)
		if err != nil || got != tt.want {
			t.Errorf("%s: got %v, %v; want %v", tt.comment, got, err, tt.want)
		}
	}
	if _, err := journal.PoliciesEqual("{", a); err == nil {
		t.Error("malformed policy accepted")
	}
}
