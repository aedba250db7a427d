package wire

import (
	"net/http"
	"net/url"
	"testing"
)

func TestCredential(t *testing.T) {
	for _, tc := range []struct {
		name, auth, query string
		want              Cred
		ok                bool
	}{
		{"header", "AWS4-HMAC-SHA256 Credential=111111111111/20260101/eu-west-1/events/aws4_request, SignedHeaders=host, Signature=abc", "",
			Cred{"111111111111", "20260101", "eu-west-1", "events"}, true},
		{"presigned", "", "X-Amz-Credential=AKIA%2F20260101%2Fus-east-1%2Fsts%2Faws4_request", Cred{"AKIA", "20260101", "us-east-1", "sts"}, true},
		{"unsigned", "", "", Cred{}, false},
		{"no credential", "Bearer x", "", Cred{}, false},
		{"short scope", "AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1, Signature=x", "", Cred{}, false},
		{"empty key", "AWS4-HMAC-SHA256 Credential=/20260101/us-east-1/events/aws4_request", "", Cred{}, false},
	} {
		r := &http.Request{Header: http.Header{}, URL: &url.URL{RawQuery: tc.query}}
		if tc.auth != "" {
			r.Header.Set("Authorization", tc.auth)
		}
		got, ok := Credential(r)
		if ok != tc.ok || got != tc.want {
			t.Errorf("%s: %+v %v, want %+v %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

// Credential never panics, and what it accepts has a key and the
// aws4_request terminator.
func FuzzCredential(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=111111111111/20260101/eu-west-1/events/aws4_request, SignedHeaders=host, Signature=abc")
	f.Add("Credential=/////")
	f.Add("")
	f.Fuzz(func(t *testing.T, auth string) {
		r := &http.Request{Header: http.Header{}, URL: &url.URL{}}
		r.Header.Set("Authorization", auth)
		if c, ok := Credential(r); ok && c.AccessKey == "" {
			t.Fatalf("accepted %q with no access key", auth)
		}
	})
}
