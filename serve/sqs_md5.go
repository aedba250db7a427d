package serve

import (
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"sort"
)

// msgAttr is one SQS message attribute (String or Number data types; a
// Binary value is carried base64 in Value by the JSON protocol and
// decoded for the digest).
type msgAttr struct {
	Name, DataType, Value string
}

// md5Hex is the hex MD5 of s: MD5OfMessageBody.
func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// md5OfAttributes is MD5OfMessageAttributes, SQS's documented digest:
// for each attribute sorted by name, the length-prefixed (4-byte big
// endian) name, data type, a transport byte (1 string, 2 binary) and the
// length-prefixed value.
func md5OfAttributes(attrs []msgAttr, binary func(msgAttr) []byte) string {
	if len(attrs) == 0 {
		return ""
	}
	sorted := append([]msgAttr(nil), attrs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	h := md5.New()
	put := func(b []byte) {
		var n [4]byte
		binaryBigEndian(n[:], uint32(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	for _, a := range sorted {
		put([]byte(a.Name))
		put([]byte(a.DataType))
		if isBinary(a.DataType) && binary != nil {
			h.Write([]byte{2})
			put(binary(a))
		} else {
			h.Write([]byte{1})
			put([]byte(a.Value))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func binaryBigEndian(b []byte, v uint32) { binary.BigEndian.PutUint32(b, v) }

func isBinary(dataType string) bool {
	return len(dataType) >= 6 && dataType[:6] == "Binary"
}
