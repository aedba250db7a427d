package awsread

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/busdrill/busdrill/live/provision"
	"github.com/busdrill/busdrill/live/session"
	"github.com/busdrill/busdrill/scenarios/livespec"
	"github.com/busdrill/busdrill/topology/assemble"
	"github.com/busdrill/busdrill/topology/deployed"
)

// RunID names the assumed-role sessions of an import in CloudTrail
// ("busdrill-import") and its plan.
const RunID = "import"

// Accounts are the live section's accounts, by account id: the order of
// the imported topology.
func Accounts(cfg *livespec.Config) []deployed.Account {
	var out []deployed.Account
	for name, a := range cfg.Accounts {
		out = append(out, deployed.Account{Name: name, ID: a.ID})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Options of a live import.
type Options struct {
	// EndpointURL overrides the live section's endpoint_url (emulators).
	EndpointURL string
	// OrgID is the organization of every account, for org-conditioned
	// policy statements.
	OrgID string
	// Credentials replace the standard chain for the base credentials
	// (tests).
	Credentials aws.CredentialsProvider
}

func readOptions(cfg *livespec.Config, o Options) deployed.Options {
	return deployed.Options{Region: cfg.Region, Accounts: Accounts(cfg), OrgID: o.OrgID}
}

// Plan lists every call an import of the live section's accounts makes,
// in the form of 'busdrill aws plan': the identity check, then the
// read-only calls of deployed.Plan. Nothing is called.
func Plan(cfg *livespec.Config, o Options) *provision.Plan {
	p := &provision.Plan{RunID: RunID}
	for _, a := range Accounts(cfg) {
		p.Steps = append(p.Steps, provision.Step{Phase: provision.PhaseVerify, Account: a.Name, AccountID: a.ID, Region: cfg.Region,
			Call: "sts:GetCallerIdentity", IAM: []string{"sts:GetCallerIdentity"}, Resource: "*", Note: "check the credentials belong to " + a.ID})
	}
	for _, c := range deployed.Plan(readOptions(cfg, o)) {
		p.Steps = append(p.Steps, provision.Step{Phase: PhaseRead, Account: c.Account, AccountID: c.AccountID, Region: cfg.Region,
			Call: c.Op, IAM: []string{c.Op}, Resource: c.Resource, Note: c.Note})
	}
	return p
}

// PhaseRead is the phase of an import's read-only calls in its plan.
const PhaseRead = "read"

// Import reads the backbone deployed in the live section's accounts: it
// refuses, before any call, an account outside allowed_accounts; checks
// with STS that every account's credentials are that account's; then
// makes the calls of Plan.
func Import(ctx context.Context, cfg *livespec.Config, o Options) (*assemble.Result, error) {
	if err := cfg.CheckAllowed(); err != nil {
		return nil, err
	}
	set, err := session.Clients(ctx, cfg, o.EndpointURL, RunID, o.Credentials)
	if err != nil {
		return nil, err
	}
	vctx, cancel := context.WithTimeout(ctx, time.Minute)
	err = set.VerifyIdentities(vctx)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("refusing to read: %w", err)
	}
	return deployed.Read(ctx, New(set), readOptions(cfg, o))
}
