package pattern

import "net/netip"

// IP address literals are read the way event-ruler reads them (CIDR.java),
// which is Java's, not Go's: a string is an address candidate when it
// looks like one to event-ruler's two regular expressions, and a candidate
// is then parsed with InetAddress.getByName. Where that differs from
// netip.ParseAddr, Java wins:
//
//   - IPv4 is exactly four dot-separated runs of ASCII digits, each at
//     most 255, read in decimal: leading zeros are allowed and ignored
//     ("010.0.0.1" is 10.0.0.1; Java has never read them as octal), and
//     the whole literal is at most 15 characters (Java's own limit).
//   - IPv6 is hexadecimal digits and colons only, with at least one colon:
//     no zone ("%eth0") and no dotted IPv4 tail ("::ffff:10.0.0.1" is not
//     an address at all). A group may have more than four digits if its
//     value fits in 16 bits ("00001::"), as Java allows.
//   - An IPv4-mapped IPv6 address (::ffff:0:0/96) is the IPv4 address it
//     maps: Java's getByName returns an Inet4Address for it. So
//     "::ffff:c0a8:17f" is 192.168.1.127, inside 192.168.1.0/24, and a
//     cidr written "::ffff:c0a8:100/120" is an IPv4 range whose mask is
//     too long ("IPv4 mask bits must be < 32").
//
// Such strings are rare in events; the rules matter for exact string
// values that look like addresses (which match any spelling of the
// address) and for cidr.

// ipParse is the outcome of reading a string as an IP literal.
type ipParse uint8

const (
	ipNotLiteral ipParse = iota // fails event-ruler's regular expressions
	ipInvalid                   // looks like an address but does not parse
	ipValid
)

// parseIP reads s as event-ruler does. It does not allocate.
func parseIP(s string) (netip.Addr, ipParse) {
	switch {
	case looksIPv4(s):
		a, ok := parseIPv4(s)
		if !ok {
			return netip.Addr{}, ipInvalid
		}
		return a, ipValid
	case looksIPv6(s):
		a, ok := parseIPv6(s)
		if !ok {
			return netip.Addr{}, ipInvalid
		}
		return a.Unmap(), ipValid
	}
	return netip.Addr{}, ipNotLiteral
}

// looksIPv4 is event-ruler's [0-9]+\.[0-9]+\.[0-9]+\.[0-9]+ (whole string).
func looksIPv4(s string) bool {
	dots, run := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			run++
		case c == '.' && run > 0 && dots < 3:
			dots++
			run = 0
		default:
			return false
		}
	}
	return dots == 3 && run > 0
}

// looksIPv6 is event-ruler's [0-9a-fA-F:]*:[0-9a-fA-F:]* (whole string).
func looksIPv6(s string) bool {
	colon := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ':':
			colon = true
		case hexDigit(c) < 0:
			return false
		}
	}
	return colon
}

func hexDigit(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// parseIPv4 is Java's IPAddressUtil.textToNumericFormatV4 for a string
// that looksIPv4.
func parseIPv4(s string) (netip.Addr, bool) {
	if len(s) > 15 {
		return netip.Addr{}, false
	}
	var b [4]byte
	part, v := 0, 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			if v > 255 {
				return netip.Addr{}, false
			}
			b[part] = byte(v)
			part++
			v = 0
			continue
		}
		v = v*10 + int(s[i]-'0')
	}
	return netip.AddrFrom4(b), true
}

// parseIPv6 is Java's IPAddressUtil.textToNumericFormatV6 (the BSD
// inet_pton algorithm) for a string that looksIPv6, so without the dotted
// IPv4 tail and zone it would otherwise handle.
func parseIPv6(s string) (netip.Addr, bool) {
	var dst [16]byte
	if len(s) < 2 {
		return netip.Addr{}, false
	}
	i := 0
	if s[0] == ':' {
		if s[1] != ':' {
			return netip.Addr{}, false
		}
		i = 1
	}
	colonp, j := -1, 0
	sawDigit, val := false, 0
	for i < len(s) {
		c := s[i]
		i++
		if d := hexDigit(c); d >= 0 {
			val = val<<4 | d
			if val > 0xffff {
				return netip.Addr{}, false
			}
			sawDigit = true
			continue
		}
		// c is ':'
		if !sawDigit {
			if colonp >= 0 {
				return netip.Addr{}, false
			}
			colonp = j
			continue
		}
		if i == len(s) || j+2 > 16 {
			return netip.Addr{}, false
		}
		dst[j], dst[j+1] = byte(val>>8), byte(val)
		j += 2
		sawDigit, val = false, 0
	}
	if sawDigit {
		if j+2 > 16 {
			return netip.Addr{}, false
		}
		dst[j], dst[j+1] = byte(val>>8), byte(val)
		j += 2
	}
	if colonp >= 0 {
		if j == 16 {
			return netip.Addr{}, false
		}
		n := j - colonp
		for k := 1; k <= n; k++ {
			dst[16-k] = dst[colonp+n-k]
			dst[colonp+n-k] = 0
		}
		j = 16
	}
	if j != 16 {
		return netip.Addr{}, false
	}
	return netip.AddrFrom16(dst), true
}
