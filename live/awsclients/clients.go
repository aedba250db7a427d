package awsclients

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/busdrill/busdrill/live/redact"
	"github.com/busdrill/busdrill/scenarios/livespec"
)

// Clients are the service clients for one account. They are safe for
// concurrent use.
type Clients struct {
	Name    string           // scenario account name
	Account livespec.Account // how it is reached
	Region  string
	// Config carries this account's credentials; clients built from it
	// redact their errors. Never print it: aws.Config holds the credentials
	// cache, whose unexported fields fmt would dump.
	Config aws.Config

	EventBridge *eventbridge.Client
	SQS         *sqs.Client
	STS         *sts.Client
}

// String names the account without any credential: "orders (111111111111,
// eu-west-1, role arn:aws:iam::111111111111:role/drill)".
func (c *Clients) String() string {
	via := "base credentials"
	switch {
	case c.Account.RoleARN != "" && c.Account.Profile != "":
		via = "profile " + c.Account.Profile + " then role " + c.Account.RoleARN
	case c.Account.RoleARN != "":
		via = "role " + c.Account.RoleARN
	case c.Account.Profile != "":
		via = "profile " + c.Account.Profile
	}
	return fmt.Sprintf("%s (%s, %s, %s)", c.Name, c.Account.ID, c.Region, via)
}

// Format prints [Clients.String] for every verb, so %+v and %#v never
// reach Config.Credentials.
func (c *Clients) Format(f fmt.State, verb rune) { io.WriteString(f, c.String()) }

// Identity asks STS GetCallerIdentity who these credentials are, and returns
// the caller ARN; it fails if the account is not Account.ID.
func (c *Clients) Identity(ctx context.Context) (string, error) {
	out, err := c.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", fmt.Errorf("account %s: GetCallerIdentity: %w", c.Name, redact.Error(err))
	}
	got := aws.ToString(out.Account)
	if got != c.Account.ID {
		return aws.ToString(out.Arn), fmt.Errorf("account %s: credentials belong to account %s, not %s", c.Name, got, c.Account.ID)
	}
	return aws.ToString(out.Arn), nil
}

// Set holds the clients of every account of a live section
// (livespec.Accounts).
type Set struct {
	opts     Options
	base     aws.Config
	names    []string
	accounts map[string]*Clients
}

// New builds clients for every account. It loads the base configuration
// once (standard chain, Options.Profile or Options.Credentials), loads a
// configuration per account Profile, and wraps AssumeRole providers around
// either for accounts with a RoleARN. It makes no network call: credentials
// are fetched (and roles assumed) on first use; call [Set.VerifyIdentities]
// to check them all up front.
func New(ctx context.Context, opts Options, accounts livespec.Accounts) (*Set, error) {
	if errs := accounts.Validate(); len(errs) > 0 {
		return nil, fmt.Errorf("accounts: %w", errors.Join(errs...))
	}
	base, err := LoadConfig(ctx, opts, opts.Profile, opts.Credentials)
	if err != nil {
		return nil, err
	}
	s := &Set{opts: opts, base: base, names: accounts.Names(), accounts: map[string]*Clients{}}
	profiles := map[string]aws.Config{}
	for _, name := range s.names {
		a := accounts[name]
		cfg := base
		if a.Profile != "" {
			pc, ok := profiles[a.Profile]
			if !ok {
				if pc, err = LoadConfig(ctx, opts, a.Profile, nil); err != nil {
					return nil, fmt.Errorf("account %s: %w", name, err)
				}
				profiles[a.Profile] = pc
			}
			cfg = pc
		}
		if a.RoleARN != "" {
			cfg = cfg.Copy()
			cfg.Credentials = aws.NewCredentialsCache(redact.Credentials(
				stscreds.NewAssumeRoleProvider(s.newSTS(cfg), a.RoleARN, func(o *stscreds.AssumeRoleOptions) {
					o.RoleSessionName = opts.sessionName()
					if a.ExternalID != "" {
						o.ExternalID = aws.String(a.ExternalID)
					}
					if opts.SessionDuration > 0 {
						o.Duration = opts.SessionDuration
					}
				})), cacheOptions)
		}
		s.accounts[name] = &Clients{
			Name:        name,
			Account:     a,
			Region:      cfg.Region,
			Config:      cfg,
			EventBridge: s.newEventBridge(cfg),
			SQS:         s.newSQS(cfg),
			STS:         s.newSTS(cfg),
		}
	}
	return s, nil
}

// The explicit endpoint is set on each client after the SDK's own
// resolution, so it beats AWS_ENDPOINT_URL_<SERVICE> and shared-config
// service sections.

func (s *Set) newEventBridge(cfg aws.Config) *eventbridge.Client {
	return eventbridge.NewFromConfig(cfg, func(o *eventbridge.Options) {
		if s.opts.EndpointURL != "" {
			o.BaseEndpoint = aws.String(s.opts.EndpointURL)
		}
	})
}

func (s *Set) newSQS(cfg aws.Config) *sqs.Client {
	return sqs.NewFromConfig(cfg, func(o *sqs.Options) {
		if s.opts.EndpointURL != "" {
			o.BaseEndpoint = aws.String(s.opts.EndpointURL)
		}
	})
}

func (s *Set) newSTS(cfg aws.Config) *sts.Client {
	return sts.NewFromConfig(cfg, func(o *sts.Options) {
		if s.opts.EndpointURL != "" {
			o.BaseEndpoint = aws.String(s.opts.EndpointURL)
		}
	})
}

// Names returns the account names, sorted.
func (s *Set) Names() []string { return append([]string(nil), s.names...) }

// Base is the base configuration (before per-account profiles and roles).
func (s *Set) Base() aws.Config { return s.base }

// Account returns the clients for a scenario account name.
func (s *Set) Account(name string) (*Clients, error) {
	if c, ok := s.accounts[name]; ok {
		return c, nil
	}
	return nil, fmt.Errorf("unknown account %q (known: %s)", name, strings.Join(s.names, ", "))
}

// VerifyIdentities calls STS GetCallerIdentity for every account, in name
// order, and returns every account whose credentials are missing or belong
// to a different account than declared. Run it before any mutation: it is
// the guard against drilling the wrong account.
func (s *Set) VerifyIdentities(ctx context.Context) error {
	var errs []error
	for _, name := range s.names {
		if _, err := s.accounts[name].Identity(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// String describes the set without credentials.
func (s *Set) String() string {
	parts := make([]string, 0, len(s.names))
	for _, n := range s.names {
		parts = append(parts, s.accounts[n].String())
	}
	return "awsclients.Set{" + s.opts.String() + "; " + strings.Join(parts, "; ") + "}"
}

// Format prints [Set.String] for every verb.
func (s *Set) Format(f fmt.State, verb rune) { io.WriteString(f, s.String()) }
