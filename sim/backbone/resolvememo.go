package backbone

// busMemo remembers each sender's last PutEvents EventBusName and what it
// resolved to: a producer names the same bus call after call, and the
// index's answer costs a reference built and a map lookup per entry. The
// memo is the model's own (topology.Index stays safe to share between
// goroutines); namesChanged invalidates it after any change of accounts
// or buses.
type busMemo struct {
	last []resolvedBus // by sender account
	gen  uint64
}

type resolvedBus struct {
	name      string
	acct, bus int
	gen       uint64
	valid     bool
}

// namesChanged forgets every remembered answer.
func (m *Model) namesChanged() { m.busMemo.gen++ }

// resolveBus is m.names.ResolveBus, remembered per sender.
func (m *Model) resolveBus(sender int, name string) (account, bus int) {
	memo := &m.busMemo
	if sender < len(memo.last) {
		if r := &memo.last[sender]; r.valid && r.gen == memo.gen && same(r.name, name) {
			return r.acct, r.bus
		}
	}
	account, bus = m.names.ResolveBus(sender, name)
	for len(memo.last) <= sender {
		memo.last = append(memo.last, resolvedBus{})
	}
	memo.last[sender] = resolvedBus{name: name, acct: account, bus: bus, gen: memo.gen, valid: true}
	return account, bus
}
