package wire

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// JSON content types.
const (
	JSON10 = "application/x-amz-json-1.0"
	JSON11 = "application/x-amz-json-1.1"
)

// Target splits an X-Amz-Target header, "AWSEvents.PutEvents", into its
// service prefix and operation.
func Target(r *http.Request) (prefix, op string, ok bool) {
	t := r.Header.Get("X-Amz-Target")
	i := strings.LastIndexByte(t, '.')
	if i <= 0 || i == len(t)-1 {
		return "", "", false
	}
	return t[:i], t[i+1:], true
}

// WriteJSON writes a 200 JSON answer of the given content type; body is
// already encoded (nil writes {}).
func WriteJSON(w http.ResponseWriter, contentType, requestID string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("x-amzn-RequestId", requestID)
	if body == nil {
		body = []byte("{}")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// WriteJSONError writes err in the JSON protocols' shape. namespace, when
// not empty, prefixes the code in __type ("com.amazonaws.sqs#"), and the
// query-compatible X-Amzn-Query-Error header is set (SQS).
func WriteJSONError(w http.ResponseWriter, contentType, requestID, namespace string, err *Error) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("x-amzn-RequestId", requestID)
	typ := err.Code
	if namespace != "" {
		typ = namespace + "#" + err.Code
		code := err.QueryCode
		if code == "" {
			code = err.Code
		}
		fault := "Sender"
		if err.Receiver {
			fault = "Receiver"
		}
		h.Set("X-Amzn-Query-Error", code+";"+fault)
	}
	body, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{typ, err.Message})
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(err.HTTPStatus())
	w.Write(body)
}
