package serve

import (
	"strings"
	"testing"
)

// Which account an access key acts as.
func TestAccounts(t *testing.T) {
	a, err := ParseAccounts("accounts.yaml", []byte("AKIAORDERS: \"222222222222\"\nAKIABUS: \"111111111111\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		"333333333333":                  "333333333333", // 12 digits: that account
		"AKIAORDERS":                    "222222222222", // the file
		tempKeyPrefix + "4444444444441": "444444444444", // AssumeRole's credentials
		"AKIASOMEONEELSE":               DefaultAccount,
		"12345":                         DefaultAccount,
	} {
		if got := a.Account(key); got != want {
			t.Errorf("%s: %s, want %s", key, got, want)
		}
	}
	var none *Accounts
	if got := none.Account("AKIAX"); got != DefaultAccount {
		t.Errorf("without a file: %s", got)
	}
	for _, bad := range []string{"AKIA: \"12\"\n", "AKIA: [1]\n", "- a\n"} {
		if _, err := ParseAccounts("bad.yaml", []byte(bad)); err == nil || !strings.Contains(err.Error(), "bad.yaml") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
