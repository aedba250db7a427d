package chaos

import (
	"errors"
	"time"

	"github.com/busdrill/busdrill/rng"
)

// Actuator is what a world offers the fault schedule: the in-memory model
// implements all of it; a live run implements what can be done to a real
// backbone safely (rules, policies, client-side faults) and answers
// ErrUnsupported for the rest, which a live run checks before it starts.
type Actuator interface {
	DisableRule(bus, rule string) error
	EnableRule(bus, rule string) error
	// RemoveStatement removes a bus policy statement and remembers it;
	// RestoreStatement puts the exact statement back.
	RemoveStatement(bus, sid string) error
	RestoreStatement(bus, sid string) error
	SetRoleAllowed(account, role string, allowed bool) error
	// SetPutEventsQuota and SetInvocationsQuota change an account's
	// quota; tps 0 restores the default.
	SetPutEventsQuota(account string, tps float64) error
	SetInvocationsQuota(account string, tps float64) error
	// SetEntryFailure fails each PutEvents entry of account with
	// probability p with ErrorCode code; p 0 restores.
	SetEntryFailure(account, code string, p float64) error
	// SetRedelivery sets EventBridge's duplicate-delivery probability;
	// a negative p restores the configured one.
	SetRedelivery(p float64) error
	// SetOutage makes a target or handler fail with code; "" restores.
	SetOutage(ref, code string) error
	// SetExtraLatency adds d to a hop; nil restores.
	SetExtraLatency(hop string, d rng.Dist) error
	StallHandler(handler string, stalled bool) error
	// StartReplay replays the archive's events of event-time [from, to)
	// (times since the run began) to its bus, optionally to some rules.
	StartReplay(name, archive string, from, to time.Duration, rules []string) error
	// Redrive sends every message of a dead-letter queue again.
	Redrive(queue string) error
}

// ErrUnsupported is what an Actuator answers for a fault its world cannot
// inject.
// ErrNoEffect is returned by an actuator, wrapped with what it found, when a
// fault would change nothing: disabling a rule that is already disabled,
// removing a statement another fault removed. The schedule reports the
// fault as having had no effect (it is not an error) and does not revert
// it at its end, which would undo a state the fault did not cause.
var ErrNoEffect = errors.New("no effect")

var ErrUnsupported = errors.New("this fault cannot be injected in this world")

// DefaultOutageCode is the ERROR_CODE of an outage that names none: the
// target answered with an error, which EventBridge retries.
const DefaultOutageCode = "ERROR_FROM_TARGET"
