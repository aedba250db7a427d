package serve

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
)

// caller is who made a request: the account its credentials act as, and
// the access key (for GetCallerIdentity's answer).
type caller struct {
	account string
	key     string
	// host is the request's Host, for the queue URLs SQS answers with.
	host string
}

// operation is one API operation: decode runs on the handler's goroutine,
// run on the loop's. run calls reply exactly once, with the answer to
// encode as JSON (or XML, for STS) or an error.
type operation struct {
	decode func(body []byte) (any, *apiError)
	run    func(b *backend, c caller, in any, alive func() bool, reply func(out any, err *apiError))
}

// syncOp makes an operation of a function that answers at once.
func syncOp[In any](f func(b *backend, c caller, in *In) (any, *apiError)) operation {
	return operation{
		decode: decodeJSON[In],
		run: func(b *backend, c caller, in any, _ func() bool, reply func(any, *apiError)) {
			reply(f(b, c, in.(*In)))
		},
	}
}

// asyncOp makes an operation of a function that may answer later (a long
// poll); alive reports whether the caller still waits.
func asyncOp[In any](f func(b *backend, c caller, in *In, alive func() bool, reply func(any, *apiError))) operation {
	return operation{
		decode: decodeJSON[In],
		run: func(b *backend, c caller, in any, alive func() bool, reply func(any, *apiError)) {
			f(b, c, in.(*In), alive, reply)
		},
	}
}

func decodeJSON[In any](body []byte) (any, *apiError) {
	in := new(In)
	if len(body) == 0 {
		return in, nil
	}
	if err := json.Unmarshal(body, in); err != nil {
		return nil, &apiError{Code: "SerializationException", Message: "Could not parse the request: " + err.Error()}
	}
	return in, nil
}

// epochTime is a timestamp as the JSON protocols carry it: seconds since
// the Unix epoch, a JSON number with a fraction.
type epochTime struct{ time.Time }

func (t epochTime) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, float64(t.UnixMilli())/1000, 'f', -1, 64), nil
}

func (t *epochTime) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 1e11 {
		return &json.UnsupportedValueError{Str: string(b)}
	}
	sec, frac := math.Modf(f)
	t.Time = time.Unix(int64(sec), int64(frac*1e9)).UTC()
	return nil
}

func epochOf(t time.Time) *epochTime {
	if t.IsZero() {
		return nil
	}
	return &epochTime{t}
}

// page cuts a sorted listing by NextToken (an offset) and a limit.
func page[T any](all []T, token *string, limit int, max int) ([]T, *string, *apiError) {
	start := 0
	if token != nil && *token != "" {
		n, err := strconv.Atoi(*token)
		if err != nil || n < 0 || n > len(all) {
			return nil, nil, validationf("The NextToken provided is not valid.")
		}
		start = n
	}
	if limit <= 0 || limit > max {
		limit = max
	}
	end := min(len(all), start+limit)
	var next *string
	if end < len(all) {
		s := strconv.Itoa(end)
		next = &s
	}
	return all[start:end], next, nil
}

// marshalJSON encodes an answer.
func marshalJSON(v any) ([]byte, error) { return json.Marshal(v) }
