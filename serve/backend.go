package serve

import (
	"fmt"
	"strconv"
	"time"

	"github.com/busdrill/busdrill/sim"
	"github.com/busdrill/busdrill/sim/backbone"
	"github.com/busdrill/busdrill/topology"
)

// backend is everything the loop owns: the backbone model, the
// control-plane state the APIs read and write (events_state.go), the SQS
// queues (sqs_queue.go), the temporary credentials (sts.go), the log
// groups' counts, the fault schedule and the stand-ins of a preloaded
// scenario. Every method runs on the loop's goroutine, at the model's
// current instant (advance moves it to the wall clock's now).
type backend struct {
	region string
	model  *backbone.Model
	epoch  time.Time

	events *events
	queues *queues
	sts    *stsState
	// logs counts the events delivered to each log-group (or other
	// unmodelled) target, by target ARN.
	logs map[string]uint64

	timers   *timers
	faults   *faultSchedule
	standIns *standIns
	// ackDelay: an "ack" latency fault is in force, so PutEvents answers
	// wait for the model's acknowledgement time.
	ackDelay bool

	// calls counts API calls by "service:operation:code" ("" code: ok).
	calls map[string]uint64
	seq   uint64 // request ids, message ids
}

// newBackend builds the backend on a model of t (nil: empty).
func newBackend(opts *Options, t *topology.Topology, params backbone.Params, start time.Time) (*backend, error) {
	b := &backend{
		region: opts.Region, epoch: start,
		logs:  map[string]uint64{},
		calls: map[string]uint64{},
	}
	if t == nil {
		// An empty backbone: the default account and its default bus (a
		// topology needs an account).
		t = &topology.Topology{Region: opts.Region,
			Accounts: []topology.Account{{Name: accountName(DefaultAccount), ID: DefaultAccount}},
			Buses:    []topology.Bus{{Account: accountName(DefaultAccount), Name: "default"}}}
	}
	params.Epoch = start
	params.Region = opts.Region
	params.ControlPlaneLag = opts.ControlPlaneLag
	m, err := backbone.New(t, params, backbone.ObserverFunc(b.observe))
	if err != nil {
		return nil, err
	}
	b.model = m
	b.events = newEvents(b)
	b.queues = newQueues(b)
	b.sts = newSTSState()
	for _, a := range t.Accounts {
		b.events.ensureAccount(a.ID, a.Name)
	}
	return b, nil
}

// advance runs the model up to t (never backwards).
func (b *backend) advance(t sim.Time) {
	b.model.RunUntil(max(t, b.model.Now()))
}

// now is the model's current instant: the request's during a job, the
// event's while the model runs one (a wake-up, a delivery).
func (b *backend) now() sim.Time { return b.model.Now() }

// nextEventTime is when the model has work next.
func (b *backend) nextEventTime() sim.Time { return b.model.NextEventTime() }

// wall is the backend's now on the calendar.
func (b *backend) wall() time.Time { return b.model.Wall(b.now()) }

// shutdown ends pending long polls (the server is stopping).
func (b *backend) shutdown() { b.queues.releaseAll() }

// nextID returns a fresh serial number (request ids, message ids).
func (b *backend) nextID() uint64 {
	b.seq++
	return b.seq
}

// requestID returns a fresh request id in AWS's UUID shape.
func (b *backend) requestID() string { return uuidOf(0xb0, b.nextID()) }

// uuidOf formats a version-4-shaped UUID from a kind byte and a serial:
// unique within a serve run, deterministic.
func uuidOf(kind byte, n uint64) string {
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(n>>32)^uint32(kind)<<24, uint16(n>>16), uint16(n)&0xfff, uint16(kind)&0xfff, n)
}

// account returns the model's name of account id, making the account
// (and its default bus) known on first sight.
func (b *backend) account(id string) string {
	if name, ok := b.model.AccountName(id); ok {
		return name
	}
	name := accountName(id)
	b.model.AddAccount(topology.Account{Name: name, ID: id})
	b.events.ensureAccount(id, name)
	return name
}

// MaxAccounts bounds the accounts serve knows (every 12-digit key and
// every account an ARN names is one): past it, every call is refused with
// LimitExceededException until serve restarts. A call adds at most the
// accounts its ARNs name, so the total stays within a call's worth of it.
const MaxAccounts = 10000

// full refuses calls once MaxAccounts accounts are known.
func (b *backend) full() *apiError {
	if len(b.events.accounts) < MaxAccounts {
		return nil
	}
	return &apiError{Code: "LimitExceededException", Message: "busdrill serve knows 10000 accounts, its limit: restart it."}
}

// MaxLogTargets bounds the log-group (and other sink) targets whose
// deliveries are counted.
const MaxLogTargets = 10000

// accountName is the model's name of an account that first appears by
// its id (a caller, an ARN): "acct-<id>". A preloaded scenario's accounts
// keep their names.
func accountName(id string) string { return "acct-" + id }

// accountID returns the id of a model account name.
func (b *backend) accountID(name string) string {
	for _, a := range b.events.accountOrder {
		if b.events.accounts[a].name == name {
			return a
		}
	}
	return name
}

// observe receives the model's observations: deliveries into serve's
// queues, dead letters with their attributes, log-group deliveries.
func (b *backend) observe(o *backbone.Observation) {
	switch o.Kind {
	case backbone.KindDelivered:
		if o.Queue != "" {
			b.queues.deliver(o.Queue, o.Env, nil)
			return
		}
		if o.Consumer != "" {
			if t := b.events.targetByConsumer(o.Consumer); t != nil && t.kind != topology.KindHandler {
				if _, ok := b.logs[t.Arn]; ok || len(b.logs) < MaxLogTargets {
					b.logs[t.Arn]++
				}
			}
		}
	case backbone.KindDeadLettered:
		attrs := []msgAttr{
			{"RULE_ARN", "String", o.RuleARN},
			{"TARGET_ARN", "String", o.TargetARN},
			{"ERROR_CODE", "String", o.Cause},
			{"ERROR_MESSAGE", "String", o.Message},
		}
		if o.Exhausted != "" {
			attrs = append(attrs, msgAttr{"EXHAUSTED_RETRY_CONDITION", "String", o.Exhausted})
		}
		attrs = append(attrs, msgAttr{"RETRY_ATTEMPTS", "Number", strconv.Itoa(o.Attempt)})
		b.queues.deliver(o.Queue, o.Env, attrs)
	}
}

// count records one API call's outcome for the metrics.
func (b *backend) count(service, op, code string) {
	b.calls[service+":"+op+":"+code]++
}
