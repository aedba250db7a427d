package livespec

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/busdrill/busdrill/internal/readfile"
	"github.com/busdrill/busdrill/internal/yamlstrict"
	"github.com/busdrill/busdrill/topology"
	"github.com/busdrill/busdrill/units"
)

// Config is the live section: where the scenario's accounts really are and
// how busdrill acts in them. See the package documentation for the file.
type Config struct {
	// Region every account is drilled in.
	Region string `yaml:"region" doc:"AWS Region of the deployed backbone."`
	// EndpointURL sends every call to one URL (an emulator such as moto).
	// The CLI's --endpoint-url wins over it; AWS_ENDPOINT_URL is honoured
	// by the SDK when both are empty.
	EndpointURL string `yaml:"endpoint_url" doc:"Endpoint for every service (emulators only)."`
	// Profile is the shared-config profile of the base credentials.
	Profile string `yaml:"profile" doc:"Profile of the base credentials (default: the standard chain)."`
	// AllowedAccounts must contain every account id busdrill touches; a
	// run, plan, provision or teardown that would touch another account is
	// refused before any call.
	AllowedAccounts []string `yaml:"allowed_accounts" required:"true" doc:"Every account id busdrill may touch."`
	// Accounts maps every scenario account name to a real account.
	Accounts Accounts `yaml:"accounts" required:"true" doc:"Scenario account name to real account."`
	// Buses maps a scenario bus reference ("bus/global") to the deployed
	// bus's name or ARN, when it differs from the scenario's name in the
	// mapped account.
	Buses map[string]string `yaml:"buses" doc:"Scenario bus reference to deployed bus name or ARN."`
	// Probes configures the observers.
	Probes Probes `yaml:"probes"`
	// DLQs adds dead-letter queues to read at the end ("account/queue"), on
	// top of the ones the scenario's targets name.
	DLQs []string `yaml:"dlqs" doc:"Extra dead-letter queues to read at the end (account/queue)."`
	// Publisher configures the PutEvents publisher.
	Publisher Publisher `yaml:"publisher"`
	// Retry is the SDK's standard retryer configuration for every client.
	Retry Retry `yaml:"retry"`
	// Stop conditions and the maximum duration.
	Stop Stop `yaml:"stop"`
	// Tags are added to everything busdrill creates, besides its own.
	Tags map[string]string `yaml:"tags" doc:"Extra tags on everything busdrill creates."`
}

// Probes configures the probe queues and their pollers.
type Probes struct {
	// Buses are the buses to observe ("orders/local"). Default: every bus
	// of the scenario (a run sees every event reach every bus: where it
	// completes journeys, and where its own faults cut routes).
	Buses []string `yaml:"buses" doc:"Buses to observe (default: every bus of the scenario)."`
	// Pollers per probe queue (default 2).
	Pollers int `yaml:"pollers" doc:"Long-polling workers per probe queue (default 2)."`
	// WaitTime of each ReceiveMessage long poll (default 20s, the maximum).
	WaitTime units.Duration `yaml:"wait_time" doc:"ReceiveMessage long-poll wait (default 20s)."`
	// VisibilityTimeout of probe queues (default 30s).
	VisibilityTimeout units.Duration `yaml:"visibility_timeout" doc:"Probe queue visibility timeout (default 30s)."`
}

// Publisher configures the PutEvents publisher.
type Publisher struct {
	Concurrency     int            `yaml:"concurrency" doc:"Concurrent PutEvents calls (default 32)."`
	Linger          units.Duration `yaml:"linger" doc:"How long a batch may wait for more entries (default 1ms)."`
	MaxResends      int            `yaml:"max_resends" doc:"Resends of entries that failed retryably (default 3)."`
	ResendBackoff   units.Duration `yaml:"resend_backoff" doc:"First resend backoff, doubled each time (default 100ms)."`
	LateTolerance   units.Duration `yaml:"late_tolerance" doc:"An order sent later than this is late (default 10ms)."`
	MaxRequestBytes units.ByteSize `yaml:"max_request_bytes" doc:"PutEvents request size budget (default 256KiB)."`
}

// Retry configures the SDK's standard retryer of every client
// (live/awsclients.Retry documents the defaults).
type Retry struct {
	MaxAttempts  int            `yaml:"max_attempts" doc:"Attempts per call, the first included (default 3)."`
	MaxBackoff   units.Duration `yaml:"max_backoff" doc:"Longest backoff (default 20s)."`
	NoRetryQuota bool           `yaml:"no_retry_quota" doc:"Turn the client-side retry token bucket off."`
}

// Stop are the guards that abort a run (and roll it back).
type Stop struct {
	// MaxErrorRate: abort when the fraction of PutEvents entries that
	// finally failed exceeds it (0: no limit).
	MaxErrorRate float64 `yaml:"max_error_rate" doc:"Abort above this fraction of failed PutEvents entries."`
	// MaxLossRate: abort when the fraction of journeys sent more than
	// LossAfter ago that have not completed exceeds it (0: no limit).
	MaxLossRate float64 `yaml:"max_loss_rate" doc:"Abort above this fraction of overdue journeys."`
	// LossAfter: a journey not completed this long after its intended
	// send time counts as lost for MaxLossRate (default 60s).
	LossAfter units.Duration `yaml:"loss_after" doc:"When an incomplete journey counts as lost (default 60s)."`
	// MinSamples before a rate is judged (default 100).
	MinSamples int `yaml:"min_samples" doc:"Entries or journeys needed before a rate is judged (default 100)."`
	// MaxDuration bounds the whole run, drain included (default: traffic
	// + drain + 5 minutes).
	MaxDuration units.Duration `yaml:"max_duration" doc:"Hard limit on the run's wall time."`
}

// Defaults.
const (
	DefaultPollers           = 2
	DefaultWaitTime          = 20 * time.Second
	DefaultVisibilityTimeout = 30 * time.Second
	DefaultConcurrency       = 32
	DefaultLinger            = time.Millisecond
	DefaultMaxResends        = 3
	DefaultResendBackoff     = 100 * time.Millisecond
	DefaultLateTolerance     = 10 * time.Millisecond
	DefaultMaxRequestBytes   = 256 * 1024
	DefaultLossAfter         = time.Minute
	DefaultMinSamples        = 100
)

// MaxFileBytes bounds a live file: a few accounts' ids and roles.
const MaxFileBytes = 1 << 20

// Load reads and validates (syntactically) a live file.
func Load(path string) (*Config, error) {
	data, err := readfile.Read(path, MaxFileBytes)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse decodes a live section strictly (unknown keys, wrong types and
// missing required keys are errors with file:line:column).
func Parse(name string, data []byte) (*Config, error) {
	var c Config
	if err := yamlstrict.Decode(name, data, &c); err != nil {
		return nil, err
	}
	if errs := c.validate(); len(errs) > 0 {
		return nil, fmt.Errorf("%s: %w", name, errors.Join(errs...))
	}
	return &c, nil
}

// Validate checks what can be checked without the scenario: every
// problem, not only the first.
func (c *Config) Validate() []error { return c.validate() }

// validate checks what can be checked without the scenario.
func (c *Config) validate() []error {
	var errs []error
	if c.Region == "" {
		errs = append(errs, errors.New("region is required"))
	}
	for _, id := range c.AllowedAccounts {
		if !accountIDRe.MatchString(id) {
			errs = append(errs, fmt.Errorf("allowed_accounts: %q is not a 12-digit account id", id))
		}
	}
	for _, err := range c.Accounts.Validate() {
		errs = append(errs, fmt.Errorf("accounts: %w", err))
	}
	if c.Probes.Pollers < 0 || c.Publisher.Concurrency < 0 || c.Publisher.MaxResends < 0 || c.Stop.MinSamples < 0 {
		errs = append(errs, errors.New("pollers, concurrency, max_resends and min_samples must not be negative"))
	}
	if w := c.Probes.WaitTime.D(); w > 20*time.Second {
		errs = append(errs, fmt.Errorf("probes.wait_time %v: SQS allows at most 20s", w))
	}
	for _, r := range []float64{c.Stop.MaxErrorRate, c.Stop.MaxLossRate} {
		if r < 0 || r > 1 {
			errs = append(errs, fmt.Errorf("stop rates are fractions between 0 and 1, got %g", r))
		}
	}
	return errs
}

// CheckScenario checks the configuration against a scenario: every
// scenario account is mapped, every bus override names a scenario bus, and
// every account touched is in the allowlist. It makes no call: it is the
// guard that runs before any.
func (c *Config) CheckScenario(t *topology.Topology) error {
	var errs []error
	for _, a := range t.Accounts {
		if _, ok := c.Accounts[a.Name]; !ok {
			errs = append(errs, fmt.Errorf("scenario account %q is not mapped in accounts", a.Name))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(c.Accounts)) {
		if !slices.ContainsFunc(t.Accounts, func(a topology.Account) bool { return a.Name == name }) {
			errs = append(errs, fmt.Errorf("accounts.%s: not an account of the scenario", name))
		}
	}
	for _, ref := range slices.Sorted(maps.Keys(c.Buses)) {
		if !slices.ContainsFunc(t.Buses, func(b topology.Bus) bool { return b.Ref() == ref }) {
			errs = append(errs, fmt.Errorf("buses.%s: not a bus of the scenario (write account/bus)", ref))
		}
		if id, _, ok := topology.ParseBusARN(c.Buses[ref]); ok {
			acct, _, _ := strings.Cut(ref, "/")
			if a, mapped := c.Accounts[acct]; mapped && a.ID != id {
				errs = append(errs, fmt.Errorf("buses.%s: ARN is in account %s, but %s is %s", ref, id, acct, a.ID))
			}
		}
	}
	for _, ref := range append(slices.Clone(c.Probes.Buses), c.DLQs...) {
		acct, _, ok := topology.SplitRef(ref)
		if !ok {
			errs = append(errs, fmt.Errorf("%q: write account/name", ref))
		} else if _, mapped := c.Accounts[acct]; !mapped {
			errs = append(errs, fmt.Errorf("%q: account %s is not mapped", ref, acct))
		}
	}
	if err := c.CheckAllowed(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// CheckAllowed refuses any mapped account (and any account of a bus ARN)
// that is not in allowed_accounts. An empty allowlist refuses everything.
func (c *Config) CheckAllowed() error {
	allowed := map[string]bool{}
	for _, id := range c.AllowedAccounts {
		allowed[id] = true
	}
	var bad []string
	for _, name := range slices.Sorted(maps.Keys(c.Accounts)) {
		if id := c.Accounts[name].ID; !allowed[id] {
			bad = append(bad, fmt.Sprintf("%s (%s)", id, name))
		}
	}
	for _, ref := range slices.Sorted(maps.Keys(c.Buses)) {
		if id, _, ok := topology.ParseBusARN(c.Buses[ref]); ok && !allowed[id] {
			bad = append(bad, fmt.Sprintf("%s (bus %s)", id, ref))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("refusing: account %s not in allowed_accounts %v; nothing was called", strings.Join(bad, ", "), c.AllowedAccounts)
	}
	return nil
}

// Effective values, defaults applied.

func (p Probes) PollersOrDefault() int { return orInt(p.Pollers, DefaultPollers) }
func (p Probes) WaitTimeOrDefault() time.Duration {
	return orDur(p.WaitTime.D(), DefaultWaitTime)
}
func (p Probes) VisibilityOrDefault() time.Duration {
	return orDur(p.VisibilityTimeout.D(), DefaultVisibilityTimeout)
}
func (s Stop) LossAfterOrDefault() time.Duration { return orDur(s.LossAfter.D(), DefaultLossAfter) }
func (s Stop) MinSamplesOrDefault() int          { return orInt(s.MinSamples, DefaultMinSamples) }

func orInt(v, d int) int {
	if v > 0 {
		return v
	}
	return d
}

func orDur(v, d time.Duration) time.Duration {
	if v > 0 {
		return v
	}
	return d
}
