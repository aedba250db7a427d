package pattern

import (
	"net/netip"
	"strconv"
	"strings"
)

// ipRange is the set of addresses a {"cidr": ...} operand covers: from the
// floor of the address under the mask (host bits cleared) to its ceiling
// (host bits set), as in event-ruler since 2023. "10.0.0.0/24" is
// 10.0.0.0–10.0.0.255, and so is "10.0.0.7/24"; "192.168.1.0/8" is
// 192.0.0.0–192.255.255.255.
type ipRange struct {
	lo, hi netip.Addr
}

// containsString reports whether s is an IP address (see ip_literal.go) in
// the range. Event values that are not addresses never match; an IPv6
// address is never in an IPv4 range, except an IPv4-mapped one, which is
// its IPv4 address.
func (r *ipRange) containsString(s string) bool {
	a, res := parseIP(s)
	if res != ipValid || a.Is4() != r.lo.Is4() {
		return false
	}
	return r.lo.Compare(a) <= 0 && a.Compare(r.hi) <= 0
}

// sameIP reports whether s spells the address a.
func sameIP(s string, a netip.Addr) bool {
	b, res := parseIP(s)
	return res == ipValid && b == a
}

// compileCIDR validates a cidr operand with event-ruler's checks and
// messages, in its order: Java's String.split("/") (which drops trailing
// empty parts), Integer.parseInt of the mask, then the address ("Nonstandard
// IP address" when it does not look like one, "Invalid IP address" when it
// looks like one but does not parse), then the mask's upper bound. A mask
// of /32 (IPv4) or /128 (IPv6) is rejected as in event-ruler; use an exact
// string match for one address.
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
	a, res := parseIP(parts[0])
	switch res {
	case ipNotLiteral:
		return valueMatcher{}, invalidPattern("Nonstandard IP address: " + parts[0])
	case ipInvalid:
		return valueMatcher{}, invalidPattern("Invalid IP address: " + parts[0])
	}
	if a.Is4() && bits > 31 {
		return valueMatcher{}, invalidPattern("IPv4 mask bits must be < 32")
	}
	if a.Is6() && bits > 127 {
		return valueMatcher{}, invalidPattern("IPv6 mask bits must be < 128")
	}
	lo, hi := a.AsSlice(), a.AsSlice()
	host := len(hi)*8 - bits
	for i := len(hi) - 1; i >= 0 && host > 0; i-- {
		if host >= 8 {
			lo[i], hi[i] = 0, 0xff
		} else {
			mask := byte(1<<host - 1)
			lo[i] &^= mask
			hi[i] |= mask
		}
		host -= 8
	}
	bottom, _ := netip.AddrFromSlice(lo)
	top, _ := netip.AddrFromSlice(hi)
	return valueMatcher{op: opCIDR, str: s, cidr: ipRange{lo: bottom, hi: top}}, nil
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
