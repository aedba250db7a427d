package backbone

import (
	"strings"

	"github.com/busdrill/busdrill/topology"
)

// names resolves the model's references: accounts by Name or ID, buses,
// queues and handlers by "account/name". It starts as the topology's
// index (topology.Index, the first of duplicate names winning) and
// follows the runtime control plane (runtime.go): accounts, buses and
// queues added or removed after New. Lookups never allocate.
type names struct {
	accounts map[string]int
	buses    map[string]int
	queues   map[string]int
	handlers map[string]int
	// acctName[a] is account a's Name, for ResolveBus.
	acctName []string
	// resolved[a] is account a's last ResolveBus answer, valid while gen
	// is what it was then: a producer names the same bus call after call.
	resolved []resolvedBus
	gen      uint64
}

type resolvedBus struct {
	name       string
	acct, bus  int
	gen        uint64
	remembered bool
}

// changed invalidates the remembered ResolveBus answers: call it after
// any change to accounts or buses.
func (n *names) changed() { n.gen++ }

// setBus names bus b "account/name" (b < 0 removes the name).
func (n *names) setBus(ref string, b int) {
	if b < 0 {
		delete(n.buses, ref)
	} else {
		n.buses[ref] = b
	}
	n.changed()
}

func newNames(t *topology.Topology) *names {
	n := &names{
		accounts: make(map[string]int, 2*len(t.Accounts)),
		buses:    make(map[string]int, len(t.Buses)),
		queues:   make(map[string]int, len(t.Queues)),
		handlers: make(map[string]int, len(t.Handlers)),
	}
	for i := range t.Accounts {
		a := &t.Accounts[i]
		n.addAccount(a.Name, a.ID, i)
	}
	for i := range t.Buses {
		putFirst(n.buses, t.Buses[i].Ref(), i)
	}
	for i := range t.Queues {
		putFirst(n.queues, t.Queues[i].Ref(), i)
	}
	for i := range t.Handlers {
		putFirst(n.handlers, t.Handlers[i].Ref(), i)
	}
	return n
}

func putFirst(m map[string]int, k string, v int) {
	if _, ok := m[k]; !ok {
		m[k] = v
	}
}

func (n *names) addAccount(name, id string, i int) {
	n.changed()
	putFirst(n.accounts, name, i)
	if id != "" {
		putFirst(n.accounts, id, i)
	}
	for len(n.acctName) <= i {
		n.acctName = append(n.acctName, "")
	}
	n.acctName[i] = name
}

// Account returns the index of the account with that Name or ID.
func (n *names) Account(nameOrID string) (int, bool) {
	i, ok := n.accounts[nameOrID]
	return i, ok
}

// Bus returns the index of the bus with reference "account/name".
func (n *names) Bus(ref string) (int, bool) {
	i, ok := n.buses[ref]
	return i, ok
}

// Queue returns the index of the queue with reference "account/name".
func (n *names) Queue(ref string) (int, bool) {
	i, ok := n.queues[ref]
	return i, ok
}

// Handler returns the index of the handler with reference "account/name".
func (n *names) Handler(ref string) (int, bool) {
	i, ok := n.handlers[ref]
	return i, ok
}

// ResolveBus resolves a PutEvents EventBusName as sent by account sender,
// exactly as topology.Index.ResolveBus does: "" is the sender's "default"
// bus, a plain name a bus of the sender, "account/name" a reference, and
// an event-bus ARN the bus of that account id. It returns the owning
// account index (-1 when unknown) and the bus index (-1 when there is no
// such bus).
func (n *names) ResolveBus(sender int, name string) (account, bus int) {
	if sender < len(n.resolved) {
		if r := &n.resolved[sender]; r.remembered && r.gen == n.gen && r.name == name {
			return r.acct, r.bus
		}
	}
	account, bus = n.resolveBus(sender, name)
	for len(n.resolved) <= sender {
		n.resolved = append(n.resolved, resolvedBus{})
	}
	n.resolved[sender] = resolvedBus{name: name, acct: account, bus: bus, gen: n.gen, remembered: true}
	return account, bus
}

func (n *names) resolveBus(sender int, name string) (account, bus int) {
	acct, busName := sender, name
	switch {
	case name == "":
		busName = "default"
	case strings.HasPrefix(name, "arn:"):
		id, bn, ok := topology.ParseBusARN(name)
		if !ok {
			return -1, -1
		}
		a, found := n.accounts[id]
		if !found {
			return -1, -1
		}
		acct, busName = a, bn
	case strings.IndexByte(name, '/') >= 0:
		an, bn, ok := topology.SplitRef(name)
		if !ok {
			return -1, -1
		}
		a, found := n.accounts[an]
		if !found {
			return -1, -1
		}
		acct, busName = a, bn
	}
	// The reference "account/name", built on the stack: a map lookup
	// with a converted byte slice does not allocate.
	var buf [64]byte
	ref := append(buf[:0], n.acctName[acct]...)
	ref = append(ref, '/')
	ref = append(ref, busName...)
	b, ok := n.buses[string(ref)]
	if !ok {
		return acct, -1
	}
	return acct, b
}
