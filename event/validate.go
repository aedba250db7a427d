package event

// noPaths flattens nothing: scanning with it only validates.
var noPaths = NewPathSet(nil)

// ValidateObject checks that b is a single JSON object within PutEvents'
// rules: well-formed, integers within int64, at most MaxDepth levels of
// nesting. It uses the flattening scanner (several times faster than
// encoding/json.Valid) and allocates nothing; scratch is reused between
// calls and must not be shared between goroutines.
func ValidateObject(b []byte, scratch *Flat) error {
	return noPaths.FlattenJSON(b, scratch)
}
