package serve

import (
	"net/url"
	"regexp"
	"strconv"
	"time"
)

// STS (query protocol): GetCallerIdentity answers truthfully for the
// credentials' account; AssumeRole into arn:aws:iam::ACCOUNT:role/NAME
// returns temporary credentials whose access key id carries ACCOUNT, so
// every later call with them acts as that account. No IAM is modelled:
// any role of any account may be assumed.

var roleARNRe = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}):role/([\w+=,.@/-]{1,512})$`)

// MaxSessions bounds the assumed-role sessions remembered for
// GetCallerIdentity (the oldest are forgotten; their keys still act as
// their account).
const MaxSessions = 10000

type stsState struct {
	sessions map[string]session // by access key id
	order    []string
	serial   uint64
}

type session struct{ account, role, name string }

func newSTSState() *stsState { return &stsState{sessions: map[string]session{}} }

type stsCredentials struct {
	AccessKeyId     string `xml:"AccessKeyId"`
	SecretAccessKey string `xml:"SecretAccessKey"`
	SessionToken    string `xml:"SessionToken"`
	Expiration      string `xml:"Expiration"`
}

type assumeRoleResult struct {
	Credentials     stsCredentials `xml:"Credentials"`
	AssumedRoleUser struct {
		AssumedRoleId string `xml:"AssumedRoleId"`
		Arn           string `xml:"Arn"`
	} `xml:"AssumedRoleUser"`
	PackedPolicySize int `xml:"PackedPolicySize"`
}

type callerIdentityResult struct {
	UserId  string `xml:"UserId"`
	Account string `xml:"Account"`
	Arn     string `xml:"Arn"`
}

func stsError(code, msg string) *apiError { return &apiError{Code: code, Message: msg} }

// runSTS runs one STS action on the loop.
func runSTS(b *backend, c caller, action string, form url.Values) (any, *apiError) {
	switch action {
	case "GetCallerIdentity":
		if s, ok := b.sts.sessions[c.key]; ok {
			return callerIdentityResult{UserId: "AROABUSDRILL" + s.account + ":" + s.name, Account: s.account,
				Arn: "arn:aws:sts::" + s.account + ":assumed-role/" + s.role + "/" + s.name}, nil
		}
		return callerIdentityResult{UserId: c.account, Account: c.account, Arn: "arn:aws:iam::" + c.account + ":root"}, nil
	case "AssumeRole":
		role, name := form.Get("RoleArn"), form.Get("RoleSessionName")
		m := roleARNRe.FindStringSubmatch(role)
		if m == nil {
			return nil, stsError("ValidationError", "1 validation error detected: Value '"+role+"' at 'roleArn' failed to satisfy constraint: Member must be an IAM role ARN")
		}
		if !regexp.MustCompile(`^[\w+=,.@-]{2,64}$`).MatchString(name) {
			return nil, stsError("ValidationError", "1 validation error detected: Value '"+name+"' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*")
		}
		dur := time.Hour
		if v := form.Get("DurationSeconds"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 900 || n > 43200 {
				return nil, stsError("ValidationError", "1 validation error detected: Value '"+v+"' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200")
			}
			dur = time.Duration(n) * time.Second
		}
		acct, roleName := m[1], m[2]
		b.account(acct)
		st := b.sts
		st.serial++
		key := tempKeyPrefix + acct + strconv.FormatUint(st.serial, 36)
		st.sessions[key] = session{account: acct, role: roleName, name: name}
		st.order = append(st.order, key)
		if len(st.order) > MaxSessions {
			delete(st.sessions, st.order[0])
			st.order = st.order[1:]
		}
		var out assumeRoleResult
		out.Credentials = stsCredentials{AccessKeyId: key, SecretAccessKey: "busdrill-serve-secret-" + strconv.FormatUint(st.serial, 36),
			SessionToken: "busdrill-serve-session-" + key, Expiration: b.wall().Add(dur).UTC().Format(time.RFC3339)}
		out.AssumedRoleUser.AssumedRoleId = "AROABUSDRILL" + acct + ":" + name
		out.AssumedRoleUser.Arn = "arn:aws:sts::" + acct + ":assumed-role/" + roleName + "/" + name
		return out, nil
	}
	return nil, stsError("InvalidAction", "Could not find operation "+action+" for version 2011-06-15")
}
