package chaos

// Fault kinds.
const (
	KindThrottle  = "throttle"
	KindDisable   = "disable-rule"
	KindRevoke    = "revoke-permission"
	KindDuplicate = "duplicate"
	KindOutage    = "outage"
	KindLatency   = "latency"
	KindStall     = "stall"
	KindPoison    = "poison"
	KindOversize  = "oversize"
	KindReplay    = "replay"
	KindRedrive   = "redrive"
)

// kindInfo says which keys a kind takes.
type kindInfo struct {
	// keys the kind accepts besides name, kind, at and for.
	keys []string
	// window: the fault has a duration (at + for), or lasts the whole
	// run when it is probabilistic and has neither; instant faults
	// (remediations) take at only.
	window, instant bool
	summary         string
}

var kinds = map[string]kindInfo{
	KindThrottle:  {keys: []string{"account", "putevents", "invocations", "entry_error", "probability"}, window: true, summary: "lower a sender's PutEvents or invocations quota, or fail PutEvents entries"},
	KindDisable:   {keys: []string{"bus", "rule"}, window: true, summary: "disable a rule (events are dropped, nothing is queued)"},
	KindRevoke:    {keys: []string{"bus", "sid", "account", "role"}, window: true, summary: "remove a bus policy statement, a sender's permission, or a target role's"},
	KindDuplicate: {keys: []string{"mode", "probability"}, window: true, summary: "duplicates: a producer's resend after an ambiguous timeout, or EventBridge redelivery"},
	KindOutage:    {keys: []string{"service", "target", "code"}, window: true, summary: "a target fails its invocations (retried unless the code is not retryable)"},
	KindLatency:   {keys: []string{"hop", "extra"}, window: true, summary: "add latency to a hop"},
	KindStall:     {keys: []string{"service"}, window: true, summary: "a consumer accepts events but processes none"},
	KindPoison:    {keys: []string{"service", "probability"}, window: true, summary: "orders whose events the service cannot process"},
	KindOversize:  {keys: []string{"probability"}, window: true, summary: "orders too large for PutEvents"},
	KindReplay:    {keys: []string{"archive", "from", "to", "rules"}, instant: true, summary: "remediation: replay an archive's window of events"},
	KindRedrive:   {keys: []string{"queue"}, instant: true, summary: "remediation: send a dead-letter queue's messages again"},
}

// Kinds lists the fault kinds with a one-line summary each, sorted.
func Kinds() [][2]string {
	names := []string{KindThrottle, KindDisable, KindRevoke, KindDuplicate, KindOutage, KindLatency, KindStall, KindPoison, KindOversize, KindReplay, KindRedrive}
	out := make([][2]string, len(names))
	for i, n := range names {
		out[i] = [2]string{n, kinds[n].summary}
	}
	return out
}
