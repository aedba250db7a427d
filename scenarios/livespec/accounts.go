package livespec

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Account is how busdrill reaches one AWS account that a scenario names.
//
// With neither Profile nor RoleARN, the account uses the base credentials
// (the standard chain, or the live section's profile). With Profile, the
// named shared-config profile supplies the credentials (the SDK resolves
// anything the profile says: static keys, SSO, its own
// role_arn/source_profile). With RoleARN, busdrill assumes that role with
// STS AssumeRole, using the base credentials, or the Profile's when both
// are set. live/awsclients builds the clients.
type Account struct {
	// ID is the 12-digit account id. It is checked against RoleARN here,
	// and against what AWS says the credentials belong to before a live
	// run makes any change (live/awsclients.Set.VerifyIdentities).
	ID string `yaml:"id" required:"true" doc:"12-digit account id."`
	// Profile is a shared-config profile name (~/.aws/config).
	Profile string `yaml:"profile" doc:"Shared-config profile for this account."`
	// RoleARN is a role in this account to assume, arn:aws:iam::ID:role/NAME.
	RoleARN string `yaml:"role_arn" doc:"Role assumed with STS from the base (or profile) credentials."`
	// ExternalID is passed to AssumeRole when the role's trust policy asks
	// for one.
	ExternalID string `yaml:"external_id" doc:"External id for AssumeRole."`
}

// Accounts maps a scenario's account name ("bus", "orders", ...) to how
// to reach that account.
type Accounts map[string]Account

var (
	accountIDRe   = regexp.MustCompile(`^\d{12}$`)
	accountNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)
	roleARNRe     = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}):role/[\w+=,.@/-]{1,512}$`)
)

// Names returns the account names, sorted.
func (m Accounts) Names() []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ByID returns the name of the account with this id.
func (m Accounts) ByID(id string) (string, bool) {
	for _, n := range m.Names() {
		if m[n].ID == id {
			return n, true
		}
	}
	return "", false
}

// Validate returns every problem with the map, in name order: empty map,
// bad names, ids that are not 12 digits, an id used by two names, malformed
// role ARNs, and a role ARN in a different account than the declared id
// (assuming a role elsewhere than declared would drill the wrong account).
func (m Accounts) Validate() []error {
	var errs []error
	if len(m) == 0 {
		return []error{fmt.Errorf("no accounts")}
	}
	seen := map[string]string{}
	for _, name := range m.Names() {
		a := m[name]
		if !accountNameRe.MatchString(name) {
			errs = append(errs, fmt.Errorf("account %q: name must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit", name))
		}
		if !accountIDRe.MatchString(a.ID) {
			errs = append(errs, fmt.Errorf("account %q: id %q is not a 12-digit account id", name, a.ID))
		} else if other, dup := seen[a.ID]; dup {
			errs = append(errs, fmt.Errorf("account %q: id %s is also account %q", name, a.ID, other))
		} else {
			seen[a.ID] = name
		}
		if a.RoleARN != "" {
			sub := roleARNRe.FindStringSubmatch(a.RoleARN)
			switch {
			case sub == nil:
				errs = append(errs, fmt.Errorf("account %q: role_arn %q is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)", name, a.RoleARN))
			case accountIDRe.MatchString(a.ID) && sub[1] != a.ID:
				errs = append(errs, fmt.Errorf("account %q: role_arn is in account %s, not %s", name, sub[1], a.ID))
			}
		}
		if a.ExternalID != "" && a.RoleARN == "" {
			errs = append(errs, fmt.Errorf("account %q: external_id needs role_arn", name))
		}
		if strings.TrimSpace(a.Profile) != a.Profile {
			errs = append(errs, fmt.Errorf("account %q: profile %q has surrounding spaces", name, a.Profile))
		}
	}
	return errs
}
