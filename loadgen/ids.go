package loadgen

import (
	"fmt"
	"strconv"
	"strings"
)

// idDigits is the minimum number of digits in journey and order ids: ids
// of one run sort in index order up to a trillion orders.
const idDigits = 12

// Prefixes of the ids derived from an order's global index.
const (
	JourneyPrefix  = "j-"
	OrderPrefix    = "o-"
	DeliveryPrefix = "d-"
)

// JourneyID is the journey id of the order with global index i:
// "j-000000000042". Within a run (metadata run_id) it is unique and the
// same in every shard.
func JourneyID(i uint64) string { return string(appendID(nil, JourneyPrefix, i)) }

// ParseJourneyID returns the global index a journey id was made from.
func ParseJourneyID(s string) (uint64, error) {
	digits, ok := strings.CutPrefix(s, JourneyPrefix)
	if !ok || len(digits) < idDigits {
		return 0, fmt.Errorf("journey id %q: want %s followed by at least %d digits", s, JourneyPrefix, idDigits)
	}
	i, err := strconv.ParseUint(digits, 10, 64)
	if err != nil || digits[0] == '+' {
		return 0, fmt.Errorf("journey id %q: %q is not an index", s, digits)
	}
	if string(appendID(nil, JourneyPrefix, i)) != s {
		return 0, fmt.Errorf("journey id %q: not in canonical form (%s)", s, JourneyID(i))
	}
	return i, nil
}

// appendID appends prefix and i zero-padded to idDigits digits.
func appendID(dst []byte, prefix string, i uint64) []byte {
	dst = append(dst, prefix...)
	return appendPadded(dst, i, idDigits)
}

// appendPadded appends v in decimal, zero-padded to width digits.
func appendPadded(dst []byte, v uint64, width int) []byte {
	const zeros = "00000000000000000000"
	var buf [20]byte
	b := strconv.AppendUint(buf[:0], v, 10)
	if n := width - len(b); n > 0 {
		dst = append(dst, zeros[:min(n, len(zeros))]...)
		for n -= len(zeros); n > 0; n-- {
			dst = append(dst, '0')
		}
	}
	return append(dst, b...)
}
