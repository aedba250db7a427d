package event

// Size limits of a PutEvents request. AWS raised the payload limit from
// 256 KiB to "1 MB" in January 2026; the exact byte figure is unconfirmed,
// so the limit is a parameter of the model and this is its default.
const (
	LegacyMaxRequestBytes  = 256 * 1024
	DefaultMaxRequestBytes = 1024 * 1024
)

// timeBytes is what a set Time field counts for, whatever its value.
const timeBytes = 14

// EntrySize is the size of one entry by the documented formula: 14 bytes
// for Time when set, plus the UTF-8 byte lengths of Source, DetailType,
// Detail (DetailBytes for a detail never built) and every Resources
// string.
func EntrySize(e *Entry) int {
	n := len(e.Source) + len(e.DetailType) + max(len(e.Detail), e.DetailBytes)
	if !e.Time.IsZero() {
		n += timeBytes
	}
	for _, r := range e.Resources {
		n += len(r)
	}
	return n
}

// RequestSize is the sum of EntrySize over a request's entries: the figure
// AWS compares with the limit.
func RequestSize(entries []Entry) int {
	n := 0
	for i := range entries {
		n += EntrySize(&entries[i])
	}
	return n
}
