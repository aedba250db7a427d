package awsclients

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/busdrill/busdrill/scenarios/livespec"
)

// Options configure how clients are built. Only Region is usually needed;
// the zero value of every other field means "what the SDK would do".
type Options struct {
	// Region for every account. Empty means AWS_REGION / AWS_DEFAULT_REGION,
	// then the profile's region. No region at all is an error.
	Region string
	// EndpointURL sends every service (EventBridge, SQS, STS) to one URL, as
	// the CLI's --endpoint-url does, for emulators such as moto. It wins
	// over AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE> and shared-config
	// endpoint_url. Empty leaves endpoint resolution to the SDK, which
	// honours those settings itself. When the host is a loopback address
	// the EC2 instance metadata service (IMDS) is disabled: an emulator run
	// must not reach for instance credentials.
	EndpointURL string
	// Profile is the shared-config profile for the base credentials (the
	// ones accounts without their own Profile use, and that assume roles).
	// Empty means AWS_PROFILE, then "default".
	Profile string
	// Credentials, when set, are the base credentials instead of the
	// standard chain. For tests and for callers that resolve credentials
	// themselves. They are wrapped for redaction and cached.
	Credentials aws.CredentialsProvider
	// RunID names assumed-role sessions "busdrill-<RunID>", so CloudTrail
	// shows which run did what. Empty means "busdrill".
	RunID string
	// SessionDuration for assumed roles. Zero means the STS default (1 h);
	// credentials are refreshed before they expire.
	SessionDuration time.Duration
	// Retry configures the SDK's standard retryer.
	Retry Retry
	// HTTPClient replaces the SDK's HTTP client (nil: the SDK default).
	HTTPClient aws.HTTPClient
	// DisableIMDS turns the EC2 instance metadata credential/region source
	// off even for non-loopback endpoints.
	DisableIMDS bool
}

// OptionsOf are the options of a live section: its Region, profile and
// retry settings, and its endpoint unless endpoint (the CLI's
// --endpoint-url) is not empty, which wins. Credentials, the HTTP client
// and the session duration are left for the caller.
func OptionsOf(cfg *livespec.Config, runID, endpoint string) Options {
	if endpoint == "" {
		endpoint = cfg.EndpointURL
	}
	return Options{
		Region:      cfg.Region,
		EndpointURL: endpoint,
		Profile:     cfg.Profile,
		RunID:       runID,
		Retry: Retry{
			MaxAttempts: cfg.Retry.MaxAttempts, MaxBackoff: cfg.Retry.MaxBackoff.D(), NoRetryQuota: cfg.Retry.NoRetryQuota,
		},
	}
}

// Retry configures retry.NewStandard. The zero value is the SDK's
// documented default: 3 attempts (1 call + 2 retries), 20 s maximum
// backoff, full-jitter exponential backoff, and a client-side retry token
// bucket (500 tokens, 5 per retry, 10 per timeout retry) that stops
// retrying when a dependency keeps failing.
type Retry struct {
	// MaxAttempts counts the first call. Zero means retry.DefaultMaxAttempts
	// (3); 1 means no retries.
	MaxAttempts int
	// MaxBackoff caps one backoff delay. Zero means retry.DefaultMaxBackoff
	// (20 s).
	MaxBackoff time.Duration
	// NoRetryQuota disables the client-side retry token bucket
	// (ratelimit.None), so sustained throttling is retried every time rather
	// than failing fast with "retry quota exceeded". A load test that wants
	// to measure what production clients experience should leave it off.
	NoRetryQuota bool
}

// maxAttempts returns the effective attempt count.
func (r Retry) maxAttempts() int {
	if r.MaxAttempts > 0 {
		return r.MaxAttempts
	}
	return retry.DefaultMaxAttempts
}

func (r Retry) maxBackoff() time.Duration {
	if r.MaxBackoff > 0 {
		return r.MaxBackoff
	}
	return retry.DefaultMaxBackoff
}

// String describes the effective retry settings.
func (r Retry) String() string {
	quota := "retry quota on"
	if r.NoRetryQuota {
		quota = "retry quota off"
	}
	return fmt.Sprintf("standard retryer: %d attempts, max backoff %s, %s", r.maxAttempts(), r.maxBackoff(), quota)
}

// sessionName returns "busdrill-<runid>", cut to STS's 64 characters and
// with characters outside [\w+=,.@-] replaced by '-'.
func (o Options) sessionName() string {
	name := "busdrill"
	if o.RunID != "" {
		name += "-" + sessionNameBad.ReplaceAllString(o.RunID, "-")
	}
	if len(name) > 64 {
		name = name[:64]
	}
	return name
}

var sessionNameBad = regexp.MustCompile(`[^\w+=,.@-]`)

// validate checks the options that can be checked without AWS.
func (o Options) validate() error {
	if o.EndpointURL != "" {
		u, err := url.Parse(o.EndpointURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("endpoint URL %q: want http(s)://host[:port]", o.EndpointURL)
		}
	}
	if o.Retry.MaxAttempts < 0 || o.Retry.MaxBackoff < 0 {
		return fmt.Errorf("retry: MaxAttempts and MaxBackoff must not be negative")
	}
	return nil
}

// loopbackEndpoint reports whether the endpoint URL's host is a loopback
// address or "localhost".
func (o Options) loopbackEndpoint() bool {
	if o.EndpointURL == "" {
		return false
	}
	u, err := url.Parse(o.EndpointURL)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// String describes the options without the credentials.
func (o Options) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "region=%q endpoint=%q profile=%q", o.Region, o.EndpointURL, o.Profile)
	if o.Credentials != nil {
		b.WriteString(" credentials=explicit")
	}
	fmt.Fprintf(&b, " session=%q %s", o.sessionName(), o.Retry)
	return b.String()
}

// Format prints [Options.String] for every verb, so %+v and %#v cannot
// dump the credentials provider.
func (o Options) Format(f fmt.State, verb rune) { io.WriteString(f, o.String()) }
