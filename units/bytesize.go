package units

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// ByteSize is a non-negative number of bytes, written "512", "512B", "2KB"
// (2000 bytes) or "2KiB" (2048 bytes). Decimal units (KB, MB, GB, TB) are
// powers of 1000 and binary units (KiB, MiB, GiB, TiB) powers of 1024,
// as in the SI and IEC standards; unit letters are case-insensitive.
type ByteSize int64

// byteUnit is one unit of ByteSize, in the order String tries them.
type byteUnit struct {
	name string
	size int64
}

var byteUnits = []byteUnit{
	{"TiB", 1 << 40}, {"TB", 1e12},
	{"GiB", 1 << 30}, {"GB", 1e9},
	{"MiB", 1 << 20}, {"MB", 1e6},
	{"KiB", 1 << 10}, {"KB", 1e3},
	{"B", 1},
}

// byteUnitOf finds a unit by its case-insensitive name.
func byteUnitOf(name string) (int64, bool) {
	if name == "" {
		return 1, true
	}
	for _, u := range byteUnits {
		if strings.EqualFold(name, u.name) {
			return u.size, true
		}
	}
	return 0, false
}

// ParseByteSize parses the scenario syntax of a byte size: a non-negative
// number, optionally followed by a unit (B, KB, KiB, MB, MiB, GB, GiB, TB,
// TiB). Fractions are allowed when the result is a whole number of bytes
// ("1.5KB" is 1500).
func ParseByteSize(in string) (ByteSize, error) {
	fail := func(format string, args ...any) (ByteSize, error) {
		return 0, newParseError("byte size", in, format, args...)
	}
	s := strings.TrimSpace(in)
	if s == "" {
		return fail("empty; write a number of bytes, e.g. 512, 2KB or 256KiB")
	}
	if s[0] == '-' {
		return fail("sizes cannot be negative")
	}
	i := 0
	for i < len(s) && isNumberByte(s[i]) {
		i++
	}
	num, unit := s[:i], strings.TrimSpace(s[i:])
	switch {
	case num == "":
		return fail("expected a number, e.g. 512, 2KB or 256KiB")
	case !validDecimal(num):
		return fail("%q is not a number", num)
	}
	mult, ok := byteUnitOf(unit)
	if !ok {
		switch strings.ToLower(unit) {
		case "k", "m", "g", "t":
			u := strings.ToUpper(unit)
			return fail("ambiguous unit %q: write %sB (powers of 1000) or %siB (powers of 1024)", unit, u, u)
		}
		return fail("unknown unit %q (use B, KB, KiB, MB, MiB, GB, GiB, TB or TiB)", unit)
	}
	r, ok := new(big.Rat).SetString(num)
	if !ok {
		return fail("%q is not a number", num)
	}
	r.Mul(r, new(big.Rat).SetInt64(mult))
	if !r.IsInt() {
		return fail("not a whole number of bytes")
	}
	n := r.Num()
	if !n.IsInt64() {
		return fail("too large (the maximum is %d bytes)", int64(math.MaxInt64))
	}
	return ByteSize(n.Int64()), nil
}

// Bytes returns b as a number of bytes.
func (b ByteSize) Bytes() int64 { return int64(b) }

// String renders b in the shortest form among the units that divide it
// exactly (ties go to the larger unit): "512B", "2KB", "256KiB", "0B".
// The result parses back to b.
func (b ByteSize) String() string {
	if b <= 0 {
		return strconv.FormatInt(int64(b), 10) + "B"
	}
	best := ""
	for _, u := range byteUnits {
		if int64(b)%u.size == 0 {
			c := strconv.FormatInt(int64(b)/u.size, 10) + u.name
			if best == "" || len(c) < len(best) {
				best = c
			}
		}
	}
	return best
}

// UnmarshalScalar parses s into b (see ParseByteSize).
func (b *ByteSize) UnmarshalScalar(s string) error {
	v, err := ParseByteSize(s)
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (b *ByteSize) UnmarshalText(t []byte) error { return b.UnmarshalScalar(string(t)) }

// MarshalText implements encoding.TextMarshaler.
func (b ByteSize) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// MarshalJSON renders b as its canonical string.
func (b ByteSize) MarshalJSON() ([]byte, error) { return marshalJSONString(b.String()) }

// UnmarshalJSON accepts the string form or a JSON number of bytes.
func (b *ByteSize) UnmarshalJSON(t []byte) error {
	return unmarshalJSONScalar("byte size", t, b.UnmarshalScalar)
}

// MarshalYAML renders b as its canonical string for gopkg.in/yaml.v3.
func (b ByteSize) MarshalYAML() (any, error) { return b.String(), nil }

// JSONSchema describes the accepted forms for editors and validators.
func (ByteSize) JSONSchema() map[string]any {
	return map[string]any{
		"anyOf": []any{
			map[string]any{"type": "integer", "minimum": 0},
			map[string]any{"type": "string", "pattern": `^\s*[0-9]*\.?[0-9]+\.?\s*([kKmMgGtT][iI]?[bB]|[bB])?\s*$`},
		},
		"description": "A size in bytes: 512, 512B, 2KB (2000), 2KiB (2048), 1MB, 1MiB.",
		"examples":    []any{"256KiB", "2KB", 512},
	}
}
