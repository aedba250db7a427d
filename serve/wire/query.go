package wire

import (
	"encoding/xml"
	"net/http"
	"strconv"
)

// STSNamespace is the XML namespace of STS answers.
const STSNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// WriteXML writes a query-protocol answer: <ActionResponse xmlns=ns>
// <ActionResult>result</ActionResult><ResponseMetadata><RequestId/>
// </ResponseMetadata></ActionResponse>. result is marshalled by
// encoding/xml as the children of the Result element.
func WriteXML(w http.ResponseWriter, ns, action, requestID string, result any) {
	inner, err := xml.Marshal(result)
	if err != nil {
		WriteXMLError(w, ns, requestID, &Error{Code: "InternalFailure", Message: err.Error(), Status: 500, Receiver: true})
		return
	}
	body := []byte(xml.Header)
	body = append(body, `<`+action+`Response xmlns="`+ns+`"><`+action+`Result>`...)
	body = append(body, stripRoot(inner)...)
	body = append(body, `</`+action+`Result><ResponseMetadata><RequestId>`...)
	xml.EscapeText(byteWriter{&body}, []byte(requestID))
	body = append(body, `</RequestId></ResponseMetadata></`+action+`Response>`...)
	writeXMLBody(w, requestID, http.StatusOK, body)
}

// WriteXMLError writes a query-protocol error.
func WriteXMLError(w http.ResponseWriter, ns, requestID string, err *Error) {
	typ := "Sender"
	if err.Receiver {
		typ = "Receiver"
	}
	body := []byte(xml.Header)
	body = append(body, `<ErrorResponse xmlns="`+ns+`"><Error><Type>`+typ+`</Type><Code>`...)
	xml.EscapeText(byteWriter{&body}, []byte(err.Code))
	body = append(body, `</Code><Message>`...)
	xml.EscapeText(byteWriter{&body}, []byte(err.Message))
	body = append(body, `</Message></Error><RequestId>`...)
	xml.EscapeText(byteWriter{&body}, []byte(requestID))
	body = append(body, `</RequestId></ErrorResponse>`...)
	writeXMLBody(w, requestID, err.HTTPStatus(), body)
}

func writeXMLBody(w http.ResponseWriter, requestID string, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("x-amzn-RequestId", requestID)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// stripRoot removes the outer element encoding/xml wrote around a value,
// keeping its children.
func stripRoot(b []byte) []byte {
	start := 0
	for start < len(b) && b[start] != '>' {
		start++
	}
	end := len(b) - 1
	for end > start && b[end] != '<' {
		end--
	}
	if start >= end {
		return nil
	}
	return b[start+1 : end]
}

type byteWriter struct{ b *[]byte }

func (w byteWriter) Write(p []byte) (int, error) {
	*w.b = append(*w.b, p...)
	return len(p), nil
}
