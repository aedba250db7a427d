package lint

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/busdrill/busdrill/topology/assemble"
)

// Severity orders findings: Note < Warning < Error.
type Severity int

// Severities, as SARIF names its levels.
const (
	Note Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Note:
		return "note"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "none"
}

// MarshalJSON writes the severity's name.
func (s Severity) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// ParseSeverity reads error, warning, note, or none (a threshold nothing
// reaches).
func ParseSeverity(s string) (Severity, error) {
	switch s {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "note":
		return Note, nil
	case "none":
		return Error + 1, nil
	}
	return 0, fmt.Errorf("severity %q: want error, warning, note or none", s)
}

// Finding is one thing wrong with (or worth knowing about) a backbone.
type Finding struct {
	// Check is the check's id, e.g. "self-delivery" (see Checks).
	Check    string   `json:"check"`
	Severity Severity `json:"severity"`
	// Resource is the topology reference: an account name, a bus
	// "account/bus", a rule "account/bus/rule", a target
	// "account/bus/rule/target", a queue "account/queue".
	Resource string `json:"resource"`
	// Path is the element's place in the topology ("buses[0].rules[1]").
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
	// Fix says in one line what to change.
	Fix string `json:"fix"`
	// Where locates the element in what was linted (template, scenario
	// file, or ARN).
	Where assemble.Where `json:"where"`
}

// Flow is a row of the fan-out matrix: what of the sender account's
// events reach buses of the receiver account through rules.
type Flow struct {
	Sender   string `json:"sender"`
	Receiver string `json:"receiver"`
	// Summary describes Events for people ("every event",
	// "Order.Created, Order.Updated (source external)").
	Summary string       `json:"summary"`
	Events  []EventClass `json:"events"`
}

// EventClass is a kind of event the matrix probes: a source and a
// detail-type each named by some pattern of the topology, or "*" for any
// other.
type EventClass struct {
	Source     string `json:"source"`
	DetailType string `json:"detail_type"`
}

// Quota is a bus's rules against their quota, and its fullest rule's
// targets against theirs.
type Quota struct {
	Bus          string `json:"bus"`
	Rules        int    `json:"rules"`
	RulesLimit   int    `json:"rules_limit"`
	MaxTargets   int    `json:"max_targets"`
	TargetsLimit int    `json:"targets_limit"`
}

// Report is the lint of one backbone.
type Report struct {
	Source   string    `json:"source"`
	Accounts int       `json:"accounts"`
	Buses    int       `json:"buses"`
	Rules    int       `json:"rules"`
	Targets  int       `json:"targets"`
	Matrix   []Flow    `json:"fanout"`
	Quotas   []Quota   `json:"quotas"`
	Findings []Finding `json:"findings"`
	// NotRun lists the checks that did not run on this source, and why.
	NotRun []string `json:"not_run,omitempty"`
}

// Count returns how many findings are at least as severe as min.
func (r *Report) Count(min Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity >= min {
			n++
		}
	}
	return n
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// Tally is "3 findings: 1 error, 2 warnings" (or "no findings").
func (r *Report) Tally() string {
	if len(r.Findings) == 0 {
		return "no findings"
	}
	var parts []string
	for _, s := range []Severity{Error, Warning, Note} {
		n := 0
		for _, f := range r.Findings {
			if f.Severity == s {
				n++
			}
		}
		if n > 0 {
			parts = append(parts, plural(n, s.String()))
		}
	}
	return plural(len(r.Findings), "finding") + ": " + strings.Join(parts, ", ")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	if strings.HasSuffix(what, "s") {
		return fmt.Sprintf("%d %ses", n, what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// Check describes one check, for people and for SARIF's rule catalogue.
type Check struct {
	ID string
	// Default is the severity the check's findings have (quota checks
	// and import notes vary it; see their descriptions).
	Default Severity
	Summary string
}

// Checks is every check, in the order findings of equal severity are
// listed.
var Checks = []Check{
	{"invalid-topology", Error, "The topology is not valid: AWS would refuse it (a cross-account bus target without a role, a pattern it rejects, an unknown reference)."},
	{"self-delivery", Error, "A fan-out rule forwards an account's own events back to that account's bus: its pattern does not exclude the target account, or excludes another one."},
	{"missing-fanout", Error, "An account publishes to the hub and has a bus, but the hub fans out to none of its buses: it never receives the others' events."},
	{"forward-denied", Error, "A cross-account bus target whose destination bus policy does not allow the sending account: every event it forwards is lost (AccessDenied)."},
	{"hop-refused", Error, "A rule forwards events that arrived through a bus-to-bus forward: EventBridge refuses the second hop (THIRD_ACCOUNT_HOP_DETECTED) and they are lost."},
	{"forward-loop", Error, "Buses forward to each other in a cycle."},
	{"queue-unusable", Error, "A queue target or dead-letter queue that does not exist, or a FIFO dead-letter queue (EventBridge needs a standard queue)."},
	{"missing-policy", Warning, "The hub fans out to an account whose events its policy refuses: what that account publishes to the hub is denied."},
	{"no-dlq", Warning, "A bus, queue or Lambda target without a dead-letter queue: events that exhaust their retries are dropped without trace."},
	{"default-retry", Warning, "A target keeps the default retry policy (185 attempts over 24 h) although the end-to-end latency objective is far shorter."},
	{"dlq-no-redrive", Warning, "A dead-letter queue that nothing reads or alarms on: what lands there stays there (EventBridge never redrives a DLQ)."},
	{"rule-disabled", Warning, "A disabled rule: every event it would match is dropped, never delivered later."},
	{"rule-never-matches", Warning, "A rule whose pattern can never match an event this topology produces (an account, a Region or an AWS source that never reaches its bus)."},
	{"no-catch-all", Warning, "A bus without an enabled rule sending every event to a log group: nothing records what reached it."},
	{"quota-rules", Warning, "Rules on a bus near (warning, 80%) or over (error) the rules-per-bus quota."},
	{"quota-targets", Note, "A rule at (note) or over (error) the fixed limit of 5 targets."},
	{"not-imported", Warning, "Part of the source the topology does not carry (a target type busdrill does not model, a policy condition it ignores): the lint cannot check it."},
}

func checkIndex(id string) int {
	for i, c := range Checks {
		if c.ID == id {
			return i
		}
	}
	return len(Checks)
}
