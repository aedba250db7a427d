package runner

import (
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/busdrill/busdrill/live/config"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/scenarios/livespec"
)

// LiveSection is the live section a run against a deployed backbone uses,
// in order of precedence: the file livePath (--live), the scenario's own
// live section, or — only when endpoint is a loopback address, such as
// busdrill serve's — a rehearsal with the scenario's accounts as they are
// (config.Rehearsal), reached with fixed credentials that are never the
// user's (creds; nil otherwise). rehearsal says the last case was taken.
// Without any, it is an error: real accounts need their ids and an
// allowlist.
func LiveSection(sc *scenarios.Scenario, livePath, endpoint string) (cfg *livespec.Config, creds aws.CredentialsProvider, rehearsal bool, err error) {
	switch {
	case livePath != "":
		if cfg, err = livespec.Load(livePath); err != nil {
			return nil, nil, false, fmt.Errorf("--live: %w", err)
		}
		return cfg, nil, false, nil
	case sc.Live != nil:
		return sc.Live, nil, false, nil
	case config.LoopbackEndpoint(endpoint):
		return config.Rehearsal(sc.Topology), rehearsalCredentials, true, nil
	}
	return nil, nil, false, errors.New("--target aws needs a live section: the scenario's live: key or --live FILE (region, accounts, allowed_accounts), unless --endpoint-url is a local emulator such as busdrill serve")
}

// rehearsalCredentials are the base credentials of a rehearsal without a
// live section: a local emulator only reads the access key id, and the
// user's own credentials stay out of it.
var rehearsalCredentials = credentials.NewStaticCredentialsProvider("AKIABUSDRILLREHEARSAL", "busdrill-rehearsal", "")
