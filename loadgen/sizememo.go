package loadgen

// An order's events are built from its Order three times: by the producer
// for Order.Created, and again (from the journey id, see Factory.Order) by
// each service that answers with the journey's next step. The payload
// size is the one costly part of an Order (a log-normal draw: a normal
// variate and an exponential, about 100 ns of the simulator's model
// goroutine per call), and it depends on the order's index alone, so the
// factory remembers the sizes of recent orders in a direct-mapped table
// indexed by the order's index. An index not (or no longer) in it is
// drawn again: the answer is the same either way, only its cost differs.
//
// The table holds 65,536 orders (1 MiB): a journey's three events come
// within its order's lifetime, and at a launch-day rate of about 2,000
// orders/s, half a minute of orders fit. At 8,192 (four seconds) the
// million benchmark, whose delivery service takes five seconds, drew
// nearly every size twice more: its services' sizes were all forgotten.

// sizeMemoSlots is the number of sizes remembered: a power of two.
const sizeMemoSlots = 1 << 16

// sizeMemo is a direct-mapped cache of payload sizes by order index. The
// zero value is empty; its table is allocated on first use.
type sizeMemo struct {
	slots []sizeSlot
}

// sizeSlot is one remembered size; key is the order's index plus one (0:
// empty).
type sizeSlot struct {
	key  uint64
	size int
}

// get returns the remembered size of order i.
func (m *sizeMemo) get(i uint64) (int, bool) {
	if m.slots == nil {
		return 0, false
	}
	s := &m.slots[i&(sizeMemoSlots-1)]
	if s.key != i+1 || s.key == 0 {
		return 0, false
	}
	return s.size, true
}

// put remembers order i's size, in place of whatever shared its slot.
func (m *sizeMemo) put(i uint64, size int) {
	if m.slots == nil {
		m.slots = make([]sizeSlot, sizeMemoSlots)
	}
	m.slots[i&(sizeMemoSlots-1)] = sizeSlot{key: i + 1, size: size}
}
