package awsclients

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/smithy-go/middleware"

	"github.com/busdrill/busdrill/live/redact"
)

// credentialsExpiryWindow refreshes cached temporary credentials this long
// before they expire, so a request signed just before expiry does not fail.
const credentialsExpiryWindow = 5 * time.Minute

// LoadConfig builds the aws.Config for one set of credentials: profile
// (empty: AWS_PROFILE, then default) or, when creds is not nil, exactly
// those credentials. Region, endpoint and retry settings come from opts.
// The result redacts credentials from every error and log line of every
// client built from it (see package redact).
func LoadConfig(ctx context.Context, opts Options, profile string, creds aws.CredentialsProvider) (aws.Config, error) {
	if err := opts.validate(); err != nil {
		return aws.Config{}, err
	}
	var lo []func(*config.LoadOptions) error
	if opts.Region != "" {
		lo = append(lo, config.WithRegion(opts.Region))
	}
	if profile != "" {
		lo = append(lo, config.WithSharedConfigProfile(profile))
	}
	if opts.EndpointURL != "" {
		lo = append(lo, config.WithBaseEndpoint(opts.EndpointURL))
	}
	if opts.DisableIMDS || opts.loopbackEndpoint() {
		lo = append(lo, config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	}
	if creds != nil {
		lo = append(lo, config.WithCredentialsProvider(
			aws.NewCredentialsCache(redact.Credentials(creds), cacheOptions)))
	}
	if opts.HTTPClient != nil {
		lo = append(lo, config.WithHTTPClient(opts.HTTPClient))
	}
	r := opts.Retry
	lo = append(lo, config.WithRetryer(func() aws.Retryer {
		return retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = r.maxAttempts()
			so.MaxBackoff = r.maxBackoff()
			if r.NoRetryQuota {
				so.RateLimiter = ratelimit.None
			}
		})
	}))

	cfg, err := config.LoadDefaultConfig(ctx, lo...)
	if err != nil {
		what := "default credentials chain"
		if profile != "" {
			what = fmt.Sprintf("profile %q", profile)
		}
		return aws.Config{}, redact.Error(fmt.Errorf("loading AWS config (%s): %w", what, err))
	}
	if cfg.Region == "" {
		return aws.Config{}, fmt.Errorf("no AWS region: set --region, AWS_REGION, or region in the profile")
	}
	if cfg.Credentials != nil {
		cfg.Credentials = redact.Credentials(cfg.Credentials)
	}
	cfg.Logger = redact.Logger(cfg.Logger)
	cfg.APIOptions = append(cfg.APIOptions, addRedaction)
	return cfg, nil
}

func cacheOptions(o *aws.CredentialsCacheOptions) {
	o.ExpiryWindow = credentialsExpiryWindow
}

// addRedaction puts a middleware outside everything else in an operation's
// stack (including signing and credential retrieval), so every error an
// operation returns is wrapped with redact.Error. The SDK's own
// OperationError wraps it in turn; its message is built from ours.
func addRedaction(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("busdrill.Redact",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
			middleware.InitializeOutput, middleware.Metadata, error,
		) {
			out, md, err := next.HandleInitialize(ctx, in)
			return out, md, redact.Error(err)
		}), middleware.Before)
}
