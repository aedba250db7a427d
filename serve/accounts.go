package serve

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/busdrill/busdrill/internal/yamlstrict"
)

// DefaultAccount is the account of an access key that is neither 12
// digits, nor a temporary key serve issued, nor in --accounts: moto's
// default, so that emulator setups written for moto carry over.
const DefaultAccount = "123456789012"

var accountIDRe = regexp.MustCompile(`^\d{12}$`)

// tempKeyPrefix starts the access key ids of the temporary credentials
// AssumeRole issues: "ASIABD" + the account id + a serial, so that the
// account of a key is read from the key itself.
const tempKeyPrefix = "ASIABD"

// Accounts maps access key ids to accounts: a 12-digit key is that
// account (moto's convention); a key AssumeRole issued acts as the role's
// account; others come from the --accounts file; anything else is
// DefaultAccount. It is read-only once built, so handlers use it on their
// own goroutines.
type Accounts struct {
	byKey map[string]string
}

// ParseAccounts reads an --accounts file: a YAML mapping of access key id
// to 12-digit account id, e.g.
//
//	AKIAEXAMPLEORDERS: "222222222222"
func ParseAccounts(name string, data []byte) (*Accounts, error) {
	var m map[string]string
	if err := yamlstrict.Decode(name, data, &m); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var bad []string
	for _, k := range keys {
		if !accountIDRe.MatchString(m[k]) {
			bad = append(bad, fmt.Sprintf("%s: access key %s: account %q is not 12 digits", name, k, m[k]))
		}
		if k == "" || len(k) > 128 {
			bad = append(bad, fmt.Sprintf("%s: access key %q: want 1 to 128 characters", name, k))
		}
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(bad, "\n"))
	}
	return &Accounts{byKey: m}, nil
}

// LoadAccounts reads an --accounts file.
func LoadAccounts(path string) (*Accounts, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseAccounts(path, data)
}

// Account returns the account an access key id acts as.
func (a *Accounts) Account(key string) string {
	if accountIDRe.MatchString(key) {
		return key
	}
	if id, ok := tempKeyAccount(key); ok {
		return id
	}
	if a != nil {
		if id, ok := a.byKey[key]; ok {
			return id
		}
	}
	return DefaultAccount
}

func tempKeyAccount(key string) (string, bool) {
	if !strings.HasPrefix(key, tempKeyPrefix) || len(key) < len(tempKeyPrefix)+12 {
		return "", false
	}
	id := key[len(tempKeyPrefix) : len(tempKeyPrefix)+12]
	return id, accountIDRe.MatchString(id)
}
