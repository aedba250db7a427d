// Package awsclients builds the AWS SDK clients live mode uses: one
// aws.Config and one EventBridge, SQS and STS client per scenario account.
// (The name avoids clashing with the SDK's own package aws.)
//
//	set, err := awsclients.New(ctx, awsclients.Options{
//		Region:      "eu-west-1",
//		EndpointURL: flagEndpointURL, // "" for real AWS
//		RunID:       runID,
//	}, livespec.Accounts{
//		"bus":    {ID: "111111111111", RoleARN: "arn:aws:iam::111111111111:role/busdrill"},
//		"orders": {ID: "222222222222", Profile: "staging-orders"},
//	})
//	if err := set.VerifyIdentities(ctx); err != nil { ... } // before any mutation
//	bus, _ := set.Account("bus")
//	bus.EventBridge.PutEvents(ctx, ...)
//
// # Credentials
//
// Base credentials come from, in order: Options.Credentials if set;
// otherwise the SDK's standard chain for Options.Profile (or AWS_PROFILE,
// or "default"): environment variables (AWS_ACCESS_KEY_ID, ...), web
// identity, the shared config and credentials files (static keys, SSO,
// credential_process, role_arn + source_profile), ECS/container
// credentials, and EC2 instance metadata (IMDS).
//
// Per account (livespec.Account, the live section's accounts):
//
//   - nothing: the base credentials;
//   - Profile: that shared-config profile, resolved by the SDK;
//   - RoleARN: STS AssumeRole into that role, from the base credentials (or
//     the Profile's, when both are set), session name "busdrill-<RunID>"
//     so CloudTrail shows which run acted, optional ExternalID and
//     SessionDuration. The provider is stscreds.NewAssumeRoleProvider in an
//     aws.CredentialsCache that refreshes 5 minutes before expiry.
//
// New refuses accounts that livespec.Accounts.Validate refuses (among
// others, a role ARN in another account than the declared ID), and [Set.VerifyIdentities] asks STS who each set of
// credentials really belongs to: a drill must never touch an account it did
// not declare. [New] itself makes no network call.
//
// # Endpoint
//
// Options.EndpointURL (the CLI's --endpoint-url) sends EventBridge, SQS and
// STS, including the AssumeRole calls, to one URL. Precedence, highest
// first:
//
//  1. Options.EndpointURL;
//  2. AWS_ENDPOINT_URL_EVENTBRIDGE / AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL_STS;
//  3. AWS_ENDPOINT_URL;
//  4. endpoint_url and services sections in the shared config profile;
//  5. the AWS endpoint for the region.
//
// 2-5 are the SDK's own mechanism (AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true
// turns 2-4 off). When Options.EndpointURL is a loopback address
// (127.0.0.0/8, ::1, localhost), IMDS is disabled: an emulator run never
// reaches for instance credentials. Options.DisableIMDS does the same for
// any endpoint.
//
// # Region
//
// Options.Region, else AWS_REGION / AWS_DEFAULT_REGION, else the profile's
// region. No region is an error, not a silent us-east-1.
//
// # Retries
//
// Every client uses retry.NewStandard with explicit settings ([Retry]):
// by default 3 attempts (1 call + 2 retries), 20 s maximum backoff, full
// jitter, and the client-side retry token bucket (500 tokens; a retry costs
// 5, a timeout retry 10). These are the SDK's documented defaults, written
// down here so a load test states what its clients did. The SDK retries
// whole operations only: a PutEvents answer with FailedEntryCount > 0 is a
// success to it, and resubmitting failed entries is the caller's job.
//
// # Credentials never printed
//
// Every config this package builds wraps its credentials providers with
// redact.Credentials (values seen are registered for scrubbing), its logger
// with redact.Logger, and adds a middleware outermost in every operation's
// stack that wraps returned errors with redact.Error. [Options], [Clients]
// and [Set] implement fmt.Formatter, so printing them with any verb shows
// account names, ids, regions and role ARNs, never a key. See live/redact.
package awsclients
