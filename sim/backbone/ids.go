package backbone

// An event's id is a version-4 UUID from the "ids" stream, drawn when its
// record is made (alloc.go).

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"unsafe"
)

// drawID gives rec a new id drawn from ids.
func drawID(rec *record, ids *rand.Rand) {
	hi, lo := ids.Uint64(), ids.Uint64()
	hi = hi&^0xf000 | 0x4000         // version 4
	lo = lo&^(0x3<<62) | (0x2 << 62) // RFC 4122 variant
	formatID(rec, hi, lo)
}

// formatID writes the UUID of 128 bits (hi, lo) as rec's envelope id:
// 8-4-4-4-12 lowercase hex digits, most significant first. Each 32 bits
// become their eight digits at once (hexDigits8), a few word-wide
// operations instead of a table lookup a digit: an id is formatted for
// every event published.
func formatID(rec *record, hi, lo uint64) {
	id := rec.id[:]
	binary.LittleEndian.PutUint64(id[0:], hexDigits8(uint32(hi>>32)))
	id[8] = '-'
	d := hexDigits8(uint32(hi))
	binary.LittleEndian.PutUint32(id[9:], uint32(d))
	id[13] = '-'
	binary.LittleEndian.PutUint32(id[14:], uint32(d>>32))
	id[18] = '-'
	d = hexDigits8(uint32(lo >> 32))
	binary.LittleEndian.PutUint32(id[19:], uint32(d))
	id[23] = '-'
	binary.LittleEndian.PutUint32(id[24:], uint32(d>>32))
	binary.LittleEndian.PutUint64(id[28:], hexDigits8(uint32(lo)))
	rec.ownID()
}

// ownID makes rec's envelope id the one in rec's id bytes.
func (rec *record) ownID() { rec.env.ID = unsafe.String(&rec.id[0], len(rec.id)) }

// hexDigits8 returns the eight lowercase hex digits of x, most
// significant first, as the bytes of a little-endian word: each nibble
// is spread to a byte of its own, then turned into its digit, '0'+n or
// 'a'+n-10, all eight at once.
func hexDigits8(x uint32) uint64 {
	v := uint64(x)
	v = (v | v<<16) & 0x0000ffff0000ffff
	v = (v | v<<8) & 0x00ff00ff00ff00ff
	v = (v | v<<4) & 0x0f0f0f0f0f0f0f0f // byte i holds nibble i, least significant first
	v = bits.ReverseBytes64(v)
	letters := (v + 0x0606060606060606) >> 4 & 0x0101010101010101 // 1 where the nibble is 10 or more
	return v + 0x3030303030303030 + letters*('a'-'9'-1)
}
