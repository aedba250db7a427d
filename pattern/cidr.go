package pattern

import (
	"net/netip"
	"strconv"
	"strings"
)

// ipRange is the set of addresses a {"cidr": ...} operand covers. Like
// event-ruler, the range runs from the address as written to that address
// with every host bit set: "10.0.0.0/24" is 10.0.0.0–10.0.0.255, and the
// unusual "10.0.0.7/24" is 10.0.0.7–10.0.0.255 (the host bits of the
// operand are not cleared).
type ipRange struct {
	lo, hi netip.Addr
}

// containsString reports whether s is an IP address (IPv4 or IPv6, no
// zone) in the range. Event values that are not addresses never match.
func (r *ipRange) containsString(s string) bool {
	a, ok := parseIP(s)
	if !ok || a.Is4() != r.lo.Is4() {
		return false
	}
	return r.lo.Compare(a) <= 0 && a.Compare(r.hi) <= 0
}

// parseIP accepts the address literals event-ruler accepts: dotted-quad
// IPv4 and IPv6 without a zone. Cheap rejection first, because most
// strings tested against a cidr are not addresses at all.
func parseIP(s string) (netip.Addr, bool) {
	if len(s) < 2 || len(s) > 45 || strings.IndexByte(s, '%') >= 0 {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return a, true
}

// sameIP reports whether s spells the address a.
func sameIP(s string, a netip.Addr) bool {
	b, ok := parseIP(s)
	return ok && b == a
}

// compileCIDR validates a cidr operand with event-ruler's checks and
// messages, in its order: Java's String.split("/") (which drops trailing
// empty parts), Integer.parseInt of the mask, then the address, then the
// mask's upper bound. A mask of /32 (IPv4) or /128 (IPv6) is rejected as
// in event-ruler; use an exact string match for one address.
func compileCIDR(s string) (valueMatcher, *Error) {
	parts := strings.Split(s, "/")
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	if len(parts) != 2 {
		return valueMatcher{}, invalidPattern("Malformed CIDR, one '/' required")
	}
	bits, ok := javaParseInt(parts[1])
	if !ok {
		return valueMatcher{}, invalidPattern("Malformed CIDR, mask bits must be an integer")
	}
	if bits < 0 {
		return valueMatcher{}, invalidPattern("Malformed CIDR, mask bits must not be negative")
	}
	a, ok := parseIP(parts[0])
	if !ok {
		return valueMatcher{}, invalidPattern("Nonstandard IP address: " + parts[0])
	}
	if a.Is4() && bits > 31 {
		return valueMatcher{}, invalidPattern("IPv4 mask bits must be < 32")
	}
	if a.Is6() && bits > 127 {
		return valueMatcher{}, invalidPattern("IPv6 mask bits must be < 128")
	}
	hi := a.AsSlice()
	host := len(hi)*8 - bits
	for i := len(hi) - 1; i >= 0 && host > 0; i-- {
		if host >= 8 {
			hi[i] = 0xff
		} else {
			hi[i] |= byte(1<<host - 1)
		}
		host -= 8
	}
	top, _ := netip.AddrFromSlice(hi)
	return valueMatcher{op: opCIDR, str: s, cidr: ipRange{lo: a, hi: top}}, nil
}

// javaParseInt accepts what Java's Integer.parseInt accepts: an optional
// sign and ASCII digits, within int32.
func javaParseInt(s string) (int, bool) {
	t := strings.TrimPrefix(strings.TrimPrefix(s, "+"), "-")
	if t == "" || len(t) != len(s) && len(t) != len(s)-1 {
		return 0, false
	}
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, false
	}
	return int(v), true
}
