package topology

import (
	"errors"
	"fmt"
	"strings"

	"github.com/busdrill/busdrill/pattern"
)

// Problem is one thing wrong with a topology. Path names the offending
// field the way the YAML spells it, e.g. "buses[1].rules[0].targets[2].bus",
// so that the scenario loader can map it back to a line and column.
type Problem struct {
	Path string
	Msg  string
}

func (p Problem) String() string { return p.Path + ": " + p.Msg }

// Problems is the error form of a non-empty Validate result.
type Problems []Problem

func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// Err returns ps as an error, or nil when it is empty.
func Err(ps []Problem) error {
	if len(ps) == 0 {
		return nil
	}
	return Problems(ps)
}

// ErrInvalid is what errors.Is matches for a Problems error.
var ErrInvalid = errors.New("invalid topology")

// Is makes errors.Is(err, ErrInvalid) true for Problems.
func (ps Problems) Is(target error) bool { return target == ErrInvalid }

type validator struct {
	t  *Topology
	x  *Index
	ps []Problem
}

func (v *validator) addf(path, format string, args ...any) {
	v.ps = append(v.ps, Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
}

// Validate checks t and returns every problem it finds (nil when there is
// none): malformed names and ids, duplicates, unknown references, pattern
// compile errors (with AWS's message), retry-policy ranges and the quotas
// of [Limits]. The order is the order of the fields in t.
func (t *Topology) Validate() []Problem {
	v := &validator{t: t, x: NewIndex(t)}
	lim := t.limits()
	v.accounts()
	perAccount := map[string]int{}
	busSeen := map[string]bool{}
	for i := range t.Buses {
		b := &t.Buses[i]
		p := fmt.Sprintf("buses[%d]", i)
		if _, ok := v.x.Account(b.Account); !ok || !v.isAccountName(b.Account) {
			v.addf(p+".account", "unknown account %q", b.Account)
		}
		if !validBusName(b.Name) {
			v.addf(p+".name", "bus name %q must be 1-256 characters of [.-_A-Za-z0-9]", b.Name)
		}
		if busSeen[b.Ref()] {
			v.addf(p+".name", "duplicate bus %q", b.Ref())
		}
		busSeen[b.Ref()] = true
		perAccount[b.Account]++
		if perAccount[b.Account] == lim.BusesPerAccount+1 {
			v.addf(p, "account %q has more than %d buses (quota)", b.Account, lim.BusesPerAccount)
		}
		v.policy(p, b)
		if len(b.Rules) > lim.RulesPerBus {
			v.addf(p+".rules", "bus %q has %d rules, more than the quota of %d", b.Ref(), len(b.Rules), lim.RulesPerBus)
		}
		ruleSeen := map[string]bool{}
		for j := range b.Rules {
			r := &b.Rules[j]
			rp := fmt.Sprintf("%s.rules[%d]", p, j)
			if !validName(r.Name, 64) {
				v.addf(rp+".name", "rule name %q must be 1-64 characters of [.-_A-Za-z0-9]", r.Name)
			}
			if ruleSeen[r.Name] {
				v.addf(rp+".name", "duplicate rule %q on bus %q", r.Name, b.Ref())
			}
			ruleSeen[r.Name] = true
			v.pattern(rp+".pattern", r.Pattern, lim, true)
			if r.State != "" && r.State != Enabled && r.State != Disabled {
				v.addf(rp+".state", "state %q must be ENABLED or DISABLED", r.State)
			}
			if len(r.Description) > 512 {
				v.addf(rp+".description", "description is longer than 512 characters")
			}
			if len(r.Targets) > MaxTargetsPerRule {
				v.addf(rp+".targets", "rule has %d targets, more than the limit of %d", len(r.Targets), MaxTargetsPerRule)
			}
			tgtSeen := map[string]bool{}
			for k := range r.Targets {
				tg := &r.Targets[k]
				tp := fmt.Sprintf("%s.targets[%d]", rp, k)
				if !validName(tg.ID, 64) {
					v.addf(tp+".id", "target id %q must be 1-64 characters of [.-_A-Za-z0-9]", tg.ID)
				}
				if tgtSeen[tg.ID] {
					v.addf(tp+".id", "duplicate target id %q in rule %q", tg.ID, r.Name)
				}
				tgtSeen[tg.ID] = true
				v.target(tp, b, tg)
			}
		}
	}
	v.simple("queues", len(t.Queues), func(i int) (string, string) { return t.Queues[i].Account, t.Queues[i].Name }, 80)
	v.simple("handlers", len(t.Handlers), func(i int) (string, string) { return t.Handlers[i].Account, t.Handlers[i].Name }, 64)
	v.archives(lim)
	return v.ps
}

func (v *validator) isAccountName(s string) bool {
	i, ok := v.x.Account(s)
	return ok && v.t.Accounts[i].Name == s
}

func (v *validator) accounts() {
	names, ids := map[string]bool{}, map[string]bool{}
	if len(v.t.Accounts) == 0 {
		v.addf("accounts", "at least one account is required")
	}
	for i := range v.t.Accounts {
		a := &v.t.Accounts[i]
		p := fmt.Sprintf("accounts[%d]", i)
		switch {
		case a.Name == "":
			v.addf(p+".name", "account name is required")
		case strings.ContainsAny(a.Name, "/ ") || IsAccountID(a.Name):
			v.addf(p+".name", "account name %q must not contain '/' or spaces, nor be 12 digits", a.Name)
		case names[a.Name]:
			v.addf(p+".name", "duplicate account %q", a.Name)
		}
		names[a.Name] = true
		switch {
		case !IsAccountID(a.ID):
			v.addf(p+".id", "account id %q must be 12 digits", a.ID)
		case ids[a.ID]:
			v.addf(p+".id", "duplicate account id %q", a.ID)
		}
		ids[a.ID] = true
		if a.OrgID != "" && !strings.HasPrefix(a.OrgID, "o-") {
			v.addf(p+".org_id", "organization id %q must start with \"o-\"", a.OrgID)
		}
	}
}

func (v *validator) policy(p string, b *Bus) {
	sids := map[string]bool{}
	for i := range b.Policy {
		s := &b.Policy[i]
		sp := fmt.Sprintf("%s.policy[%d]", p, i)
		if !validSid(s.Sid) {
			v.addf(sp+".sid", "statement id %q must be 1-64 characters of [a-zA-Z0-9-_]", s.Sid)
		}
		if sids[s.Sid] {
			v.addf(sp+".sid", "duplicate statement id %q", s.Sid)
		}
		sids[s.Sid] = true
		if s.Principal != "*" && !IsAccountID(s.Principal) && !v.isAccountName(s.Principal) {
			v.addf(sp+".principal", "principal %q must be an account name, a 12-digit account id or \"*\"", s.Principal)
		}
		if s.Action != "" && s.Action != ActionPutEvents {
			v.addf(sp+".action", "action %q is not supported (only %s)", s.Action, ActionPutEvents)
		}
		if s.OrgID != "" && !strings.HasPrefix(s.OrgID, "o-") {
			v.addf(sp+".org_id", "organization id %q must start with \"o-\"", s.OrgID)
		}
	}
}

func (v *validator) pattern(path, src string, lim Limits, required bool) {
	if src == "" {
		if required {
			v.addf(path, "an event pattern is required")
		}
		return
	}
	if len(src) > lim.PatternChars {
		v.addf(path, "event pattern is %d characters, more than the quota of %d", len(src), lim.PatternChars)
	}
	if _, err := pattern.Compile([]byte(src)); err != nil {
		var pe *pattern.Error
		if errors.As(err, &pe) {
			v.addf(path, "%s", pe.Message)
		} else {
			v.addf(path, "%s", err.Error())
		}
	}
}

func (v *validator) target(tp string, b *Bus, tg *Target) {
	only := func(field, val string) {
		if val != "" {
			v.addf(tp+"."+field, "%s is not allowed on a %s target", field, tg.Kind)
		}
	}
	switch tg.Kind {
	case KindBus:
		if i, ok := v.x.Bus(tg.Bus); !ok {
			v.addf(tp+".bus", "unknown bus %q (want \"account/bus\")", tg.Bus)
		} else {
			d := &v.t.Buses[i]
			if d.Ref() == b.Ref() {
				v.addf(tp+".bus", "a rule cannot target its own bus")
			} else if d.Account != b.Account && tg.Role == "" {
				v.addf(tp+".role", "a role is required for the cross-account bus target %q", tg.Bus)
			}
		}
		only("queue", tg.Queue)
		only("log", tg.Log)
		only("handler", tg.Handler)
	case KindQueue:
		if _, ok := v.x.Queue(tg.Queue); !ok {
			v.addf(tp+".queue", "unknown queue %q (want \"account/queue\")", tg.Queue)
		}
		only("bus", tg.Bus)
		only("log", tg.Log)
		only("handler", tg.Handler)
	case KindLog:
		if !validLogName(tg.Log) {
			v.addf(tp+".log", "log group name %q must be 1-512 characters of [.-_/#A-Za-z0-9]", tg.Log)
		}
		only("bus", tg.Bus)
		only("queue", tg.Queue)
		only("handler", tg.Handler)
	case KindHandler:
		if _, ok := v.x.Handler(tg.Handler); !ok {
			v.addf(tp+".handler", "unknown handler %q (want \"account/handler\")", tg.Handler)
		}
		only("bus", tg.Bus)
		only("queue", tg.Queue)
		only("log", tg.Log)
	default:
		v.addf(tp+".kind", "target kind %q must be one of bus, queue, log, handler", tg.Kind)
	}
	if tg.Kind != KindBus && tg.Role != "" {
		v.addf(tp+".role", "role is only used by bus targets")
	}
	if tg.Role != "" && !validRoleName(tg.Role) {
		v.addf(tp+".role", "role name %q must be 1-64 characters of [+=,.@-_A-Za-z0-9]", tg.Role)
	}
	if p := tg.Retry.MaximumRetryAttempts; p != nil && (*p < 0 || *p > MaxMaximumRetryAttempts) {
		v.addf(tp+".retry.maximum_retry_attempts", "MaximumRetryAttempts %d must be within 0-%d", *p, MaxMaximumRetryAttempts)
	}
	if p := tg.Retry.MaximumEventAgeInSeconds; p != nil && (*p < MinMaximumEventAgeInSeconds || *p > MaxMaximumEventAgeInSeconds) {
		v.addf(tp+".retry.maximum_event_age_in_seconds", "MaximumEventAgeInSeconds %d must be within %d-%d", *p, MinMaximumEventAgeInSeconds, MaxMaximumEventAgeInSeconds)
	}
	if tg.DLQ != "" {
		if _, ok := v.x.Queue(tg.DLQ); !ok {
			v.addf(tp+".dlq", "unknown dead-letter queue %q (want \"account/queue\")", tg.DLQ)
		}
	}
}

func (v *validator) simple(field string, n int, get func(int) (string, string), maxLen int) {
	seen := map[string]bool{}
	for i := 0; i < n; i++ {
		acct, name := get(i)
		p := fmt.Sprintf("%s[%d]", field, i)
		if !v.isAccountName(acct) {
			v.addf(p+".account", "unknown account %q", acct)
		}
		if !validName(name, maxLen) {
			v.addf(p+".name", "name %q must be 1-%d characters of [.-_A-Za-z0-9]", name, maxLen)
		}
		ref := acct + "/" + name
		if seen[ref] {
			v.addf(p+".name", "duplicate %s %q", strings.TrimSuffix(field, "s"), ref)
		}
		seen[ref] = true
	}
}

func (v *validator) archives(lim Limits) {
	seen := map[string]bool{}
	for i := range v.t.Archives {
		a := &v.t.Archives[i]
		p := fmt.Sprintf("archives[%d]", i)
		if !validName(a.Name, 48) {
			v.addf(p+".name", "archive name %q must be 1-48 characters of [.-_A-Za-z0-9]", a.Name)
		}
		if seen[a.Name] {
			v.addf(p+".name", "duplicate archive %q", a.Name)
		}
		seen[a.Name] = true
		if _, ok := v.x.Bus(a.Bus); !ok {
			v.addf(p+".bus", "unknown bus %q (want \"account/bus\")", a.Bus)
		}
		v.pattern(p+".pattern", a.Pattern, lim, false)
		if a.RetentionDays < 0 {
			v.addf(p+".retention_days", "retention must not be negative")
		}
	}
}

// IsAccountID reports whether s is an AWS account id: twelve digits.
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func validChars(s string, maxLen int, extra string) bool {
	if len(s) == 0 || len(s) > maxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) && strings.IndexByte(extra, s[i]) < 0 {
			return false
		}
	}
	return true
}

// validName is AWS's [\.\-_A-Za-z0-9]+ of rule names and target ids.
func validName(s string, maxLen int) bool { return validChars(s, maxLen, ".-_") }
func validBusName(s string) bool          { return validChars(s, 256, ".-_") }
func validSid(s string) bool              { return validChars(s, 64, "-_") }
func validLogName(s string) bool          { return validChars(s, 512, ".-_/#") }
func validRoleName(s string) bool         { return validChars(s, 64, "+=,.@-_") }
