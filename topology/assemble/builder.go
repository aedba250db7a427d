package assemble

import (
	"fmt"
	"strings"

	"github.com/busdrill/busdrill/topology"
)

// Builder assembles a topology from AWS's own descriptions of a backbone:
// accounts, buses, policy documents, rules, and targets given by ARN. Both
// importers use it, so a template and a deployed account become the same
// topology the same way. Targets are resolved in Build, once every bus is
// known; everything the topology cannot carry becomes a [Note], and a
// reference that cannot be resolved an error, both with their [Where].
type Builder struct {
	region string
	// strict is for sources that define the whole backbone (templates):
	// a target bus they do not define is an error (its template is
	// missing), and a queue they do not define is declared with a note.
	// Otherwise (deployed accounts) such a target is skipped with a note
	// (the bus is gone) and queues are declared quietly.
	strict bool
	// hint ends the error of a reference to an account the import does
	// not cover ("add its template with --cfn").
	hint string

	accounts []topology.Account
	byID     map[string]int
	buses    []*bus
	busIdx   map[string]int
	queues   []located
	queueIdx map[string]int
	handlers []located
	handIdx  map[string]int
	archives []archive
	notes    []Note
	errs     []string
	facts    Facts
}

type located struct {
	account, name string
	where         Where
}

type bus struct {
	account, name string
	where         Where
	policy        []policyEntry
	rules         []*Rule
}

type policyEntry struct {
	st    topology.Statement
	where Where
}

type archive struct {
	a     topology.Archive
	where Where
}

// Rule is a rule being assembled; add its targets with AddTarget.
type Rule struct {
	rule    topology.Rule
	where   Where
	targets []TargetSpec
}

// TargetSpec is a rule target as AWS describes it.
type TargetSpec struct {
	ID, ARN, RoleARN string
	// DLQARN is DeadLetterConfig.Arn ("" for none).
	DLQARN string
	Retry  topology.RetryPolicy
	Where  Where
}

// New starts a topology in a Region. strict and hint: see Builder.
func New(region string, strict bool, hint string) *Builder {
	return &Builder{region: region, strict: strict, hint: hint,
		byID: map[string]int{}, busIdx: map[string]int{}, queueIdx: map[string]int{}, handIdx: map[string]int{}}
}

// AddAccount declares an account. Names and ids must be unique.
func (b *Builder) AddAccount(name, id, orgID string) error {
	if _, dup := b.byID[id]; dup {
		return fmt.Errorf("account %s is given twice", id)
	}
	for _, a := range b.accounts {
		if a.Name == name {
			return fmt.Errorf("accounts %s and %s would both be named %q: name them apart", a.ID, id, name)
		}
	}
	b.byID[id] = len(b.accounts)
	b.accounts = append(b.accounts, topology.Account{Name: name, ID: id, OrgID: orgID})
	return nil
}

// AccountName returns the name of the account with that id.
func (b *Builder) AccountName(id string) (string, bool) {
	i, ok := b.byID[id]
	if !ok {
		return "", false
	}
	return b.accounts[i].Name, true
}

// Facts returns the facts the result will carry, for the importer to
// fill.
func (b *Builder) Facts() *Facts { return &b.facts }

// Note records something the topology does not carry as the source says.
func (b *Builder) Note(w Where, resource, severity, format string, args ...any) {
	b.notes = append(b.notes, Note{Where: w, Resource: resource, Severity: severity, Msg: fmt.Sprintf(format, args...)})
}

// Fail records a reference the builder cannot resolve; Build returns them
// all as one error.
func (b *Builder) Fail(w Where, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if s := w.String(); s != "" {
		msg = s + ": " + msg
	}
	b.errs = append(b.errs, msg)
}

// AddBus declares a bus of a known account (again: nothing changes) and
// returns its reference.
func (b *Builder) AddBus(account, name string, w Where) string {
	ref := account + "/" + name
	if _, ok := b.busIdx[ref]; !ok {
		b.busIdx[ref] = len(b.buses)
		b.buses = append(b.buses, &bus{account: account, name: name, where: w})
	}
	return ref
}

// HasBus reports whether a bus is declared.
func (b *Builder) HasBus(ref string) bool {
	_, ok := b.busIdx[ref]
	return ok
}

// principal turns a policy principal (an account id or "*") into the
// topology's spelling: the account's name when the import has it.
func (b *Builder) principal(p string) string {
	if name, ok := b.AccountName(p); ok {
		return name
	}
	return p
}

// AddStatement adds a policy statement to a declared bus: principal is
// "*" or a 12-digit account id.
func (b *Builder) AddStatement(busRef, sid, principal, orgID string, w Where) {
	bs := b.buses[b.busIdx[busRef]]
	bs.policy = append(bs.policy, policyEntry{
		st:    topology.Statement{Sid: sid, Principal: b.principal(principal), OrgID: orgID, Action: topology.ActionPutEvents},
		where: w,
	})
}

// AddPolicy adds the statements of a bus resource policy document (IAM
// JSON) that allow events:PutEvents; see parsePolicy for what becomes a
// note.
func (b *Builder) AddPolicy(busRef string, doc []byte, w Where) {
	sts, notes, err := parsePolicy(doc)
	if err != nil {
		b.Fail(w, "the policy of bus %s: %v", busRef, err)
		return
	}
	for _, n := range notes {
		b.Note(w, busRef, n.severity, "%s", n.msg)
	}
	for _, s := range sts {
		b.AddStatement(busRef, s.Sid, s.Principal, s.OrgID, w)
	}
}

// AddRule adds a rule (without targets) to a declared bus.
func (b *Builder) AddRule(busRef string, r topology.Rule, w Where) *Rule {
	bs := b.buses[b.busIdx[busRef]]
	rr := &Rule{rule: r, where: w}
	bs.rules = append(bs.rules, rr)
	return rr
}

// AddTarget adds a target to the rule; Build resolves its ARNs.
func (r *Rule) AddTarget(t TargetSpec) { r.targets = append(r.targets, t) }

// AddQueue declares a queue of a known account (again: nothing changes).
func (b *Builder) AddQueue(account, name string, w Where) {
	ref := account + "/" + name
	if _, ok := b.queueIdx[ref]; !ok {
		b.queueIdx[ref] = len(b.queues)
		b.queues = append(b.queues, located{account, name, w})
	}
}

// AddArchive adds an archive; a.Bus is a bus reference.
func (b *Builder) AddArchive(a topology.Archive, w Where) {
	b.archives = append(b.archives, archive{a, w})
}

// QueueRef resolves an SQS queue ARN to a queue reference of a known
// account ("" and a reason when it cannot).
func (b *Builder) QueueRef(arn string) (string, string) {
	a, ok := ParseARN(arn)
	if !ok {
		return "", fmt.Sprintf("%q is not an ARN", arn)
	}
	kind, name, _ := classify(a)
	if kind != arnQueue {
		return "", fmt.Sprintf("%s is not an SQS queue", arn)
	}
	acct, ok := b.AccountName(a.Account)
	if !ok {
		return "", fmt.Sprintf("queue %s is in account %s, which the import does not cover%s", arn, a.Account, b.hint)
	}
	return acct + "/" + name, ""
}

// BusRef resolves an event-bus ARN or a bus name (of the account named
// own) to a bus reference ("" and a reason when it cannot).
func (b *Builder) BusRef(own, nameOrARN string) (string, string) {
	if !strings.HasPrefix(nameOrARN, "arn:") {
		return own + "/" + nameOrARN, ""
	}
	a, ok := ParseARN(nameOrARN)
	kind, name, _ := classify(a)
	if !ok || kind != arnBus {
		return "", fmt.Sprintf("%s is not an event bus ARN", nameOrARN)
	}
	acct, ok := b.AccountName(a.Account)
	if !ok {
		return "", fmt.Sprintf("bus %s is in account %s, which the import does not cover%s", nameOrARN, a.Account, b.hint)
	}
	return acct + "/" + name, ""
}
