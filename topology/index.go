package topology

import "strings"

// Index resolves references of a topology: accounts by Name or ID, buses,
// queues and handlers by "account/name". Build it with NewIndex after
// Validate has passed (lookups of invalid references just fail). Lookups
// never allocate.
//
// A runtime whose resources change after it starts (sim/backbone's
// control plane) keeps its Index current with AddAccount, SetBus,
// RemoveBus and SetQueue; T stays the topology the Index was built from.
type Index struct {
	T        *Topology
	accounts map[string]int // by Name and by ID
	buses    map[string]int
	queues   map[string]int
	handlers map[string]int
	// acctName[a] is account a's Name, for ResolveBus.
	acctName []string
}

// NewIndex indexes t. The first of duplicate names wins.
func NewIndex(t *Topology) *Index {
	x := &Index{T: t,
		accounts: make(map[string]int, 2*len(t.Accounts)),
		buses:    make(map[string]int, len(t.Buses)),
		queues:   make(map[string]int, len(t.Queues)),
		handlers: make(map[string]int, len(t.Handlers)),
	}
	for i := range t.Accounts {
		x.AddAccount(t.Accounts[i].Name, t.Accounts[i].ID, i)
	}
	for i := range t.Buses {
		putFirst(x.buses, t.Buses[i].Ref(), i)
	}
	for i := range t.Queues {
		putFirst(x.queues, t.Queues[i].Ref(), i)
	}
	for i := range t.Handlers {
		putFirst(x.handlers, t.Handlers[i].Ref(), i)
	}
	return x
}

func putFirst(m map[string]int, k string, v int) {
	if _, ok := m[k]; !ok {
		m[k] = v
	}
}

// AddAccount indexes account i by name and, when it has one, by id; a
// name or id already taken keeps its account.
func (x *Index) AddAccount(name, id string, i int) {
	putFirst(x.accounts, name, i)
	if id != "" {
		putFirst(x.accounts, id, i)
	}
	for len(x.acctName) <= i {
		x.acctName = append(x.acctName, "")
	}
	x.acctName[i] = name
}

// SetBus makes ref resolve to bus i.
func (x *Index) SetBus(ref string, i int) { x.buses[ref] = i }

// RemoveBus makes ref resolve to no bus.
func (x *Index) RemoveBus(ref string) { delete(x.buses, ref) }

// SetQueue makes ref resolve to queue i.
func (x *Index) SetQueue(ref string, i int) { x.queues[ref] = i }

// Account returns the index of the account with that Name or ID.
func (x *Index) Account(nameOrID string) (int, bool) {
	i, ok := x.accounts[nameOrID]
	return i, ok
}

// Bus returns the index of the bus with reference "account/name".
func (x *Index) Bus(ref string) (int, bool) {
	i, ok := x.buses[ref]
	return i, ok
}

// Queue returns the index of the queue with reference "account/name".
func (x *Index) Queue(ref string) (int, bool) {
	i, ok := x.queues[ref]
	return i, ok
}

// Handler returns the index of the handler with reference "account/name".
func (x *Index) Handler(ref string) (int, bool) {
	i, ok := x.handlers[ref]
	return i, ok
}

// ResolveBus resolves a PutEvents EventBusName as sent by account sender
// (an account index): "" means the sender's "default" bus, a plain name a
// bus of the sender, "account/name" a bus reference, and an event-bus ARN
// the bus of that account id. It returns the owning account index (-1 when
// the account is unknown) and the bus index (-1 when there is no such bus).
func (x *Index) ResolveBus(sender int, name string) (account, bus int) {
	acct, busName := sender, name
	switch {
	case name == "":
		busName = "default"
	case strings.HasPrefix(name, "arn:"):
		id, n, ok := ParseBusARN(name)
		if !ok {
			return -1, -1
		}
		a, found := x.accounts[id]
		if !found {
			return -1, -1
		}
		acct, busName = a, n
	case strings.IndexByte(name, '/') >= 0:
		an, n, ok := SplitRef(name)
		if !ok {
			return -1, -1
		}
		a, found := x.accounts[an]
		if !found {
			return -1, -1
		}
		acct, busName = a, n
	}
	// The reference "account/name", built on the stack: a map lookup
	// with a converted byte slice does not allocate.
	var buf [64]byte
	ref := append(buf[:0], x.acctName[acct]...)
	ref = append(ref, '/')
	ref = append(ref, busName...)
	b, ok := x.buses[string(ref)]
	if !ok {
		return acct, -1
	}
	return acct, b
}
