package livespec_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/busdrill/busdrill/scenarios/livespec"
)

func TestAccountsValidate(t *testing.T) {
	tests := []struct {
		comment string
		m       livespec.Accounts
		want    []string // substrings, one per expected error, in order
	}{
		{"two well-formed accounts are fine", livespec.Accounts{
			"bus":    {ID: "111111111111", RoleARN: "arn:aws:iam::111111111111:role/busdrill"},
			"orders": {ID: "222222222222", Profile: "orders"},
		}, nil},
		{"an empty map is an error", livespec.Accounts{}, []string{"no accounts"}},
		{"ids must be 12 digits", livespec.Accounts{"a": {ID: "1234"}}, []string{`account "a": id "1234" is not a 12-digit`}},
		{"one id under two names", livespec.Accounts{
			"a": {ID: "111111111111"}, "b": {ID: "111111111111"},
		}, []string{`account "b": id 111111111111 is also account "a"`}},
		{"a role in another account than declared", livespec.Accounts{
			"a": {ID: "111111111111", RoleARN: "arn:aws:iam::999999999999:role/x"},
		}, []string{"role_arn is in account 999999999999, not 111111111111"}},
		{"a malformed role ARN", livespec.Accounts{
			"a": {ID: "111111111111", RoleARN: "arn:aws:iam::111111111111:user/x"},
		}, []string{"is not an IAM role ARN"}},
		{"external id without a role, and a bad name: every problem, in name order", livespec.Accounts{
			"a":   {ID: "111111111111", ExternalID: "x"},
			"b c": {ID: "222222222222"},
		}, []string{"external_id needs role_arn", `account "b c": name must be`}},
	}
	for _, tt := range tests {
		errs := tt.m.Validate()
		if len(errs) != len(tt.want) {
			t.Errorf("%s: got %d errors %v, want %d", tt.comment, len(errs), errors.Join(errs...), len(tt.want))
			continue
		}
		for i, w := range tt.want {
			if !strings.Contains(errs[i].Error(), w) {
				t.Errorf("%s: error %d = %q, want it to contain %q", tt.comment, i, errs[i], w)
			}
		}
	}
}

func TestAccountsByID(t *testing.T) {
	m := livespec.Accounts{"bus": {ID: "111111111111"}, "orders": {ID: "222222222222"}}
	if n, ok := m.ByID("222222222222"); !ok || n != "orders" {
		t.Errorf("ByID = %q, %v", n, ok)
	}
	if _, ok := m.ByID("333333333333"); ok {
		t.Error("ByID found a missing id")
	}
}
