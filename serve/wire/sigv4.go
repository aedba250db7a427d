package wire

import (
	"net/http"
	"strings"
)

// Cred is what a SigV4 credential scope says: the access key id, and the
// date, Region and service it was signed for.
type Cred struct {
	AccessKey string
	Date      string
	Region    string
	Service   string
}

// Credential reads the credential scope of a SigV4-signed request: from
// the Authorization header ("AWS4-HMAC-SHA256 Credential=AKID/DATE/
// REGION/SERVICE/aws4_request, SignedHeaders=..., Signature=...") or,
// for a presigned URL, the X-Amz-Credential query parameter. ok is false
// for an unsigned request. Nothing is verified.
func Credential(r *http.Request) (Cred, bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		_, rest, found := strings.Cut(h, "Credential=")
		if !found {
			return Cred{}, false
		}
		scope, _, _ := strings.Cut(rest, ",")
		return parseScope(strings.TrimSpace(scope))
	}
	if q := r.URL.Query().Get("X-Amz-Credential"); q != "" {
		return parseScope(q)
	}
	return Cred{}, false
}

func parseScope(s string) (Cred, bool) {
	parts := strings.Split(s, "/")
	if len(parts) != 5 || parts[0] == "" || parts[4] != "aws4_request" {
		return Cred{}, false
	}
	return Cred{AccessKey: parts[0], Date: parts[1], Region: parts[2], Service: parts[3]}, true
}
