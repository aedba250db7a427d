package redact_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/logging"

	"github.com/busdrill/busdrill/live/redact"
)

func TestString(t *testing.T) {
	tests := []struct {
		comment, in, want string
	}{
		{"plain text is untouched",
			"rule orders-to-delivery on bus global: ResourceNotFoundException",
			"rule orders-to-delivery on bus global: ResourceNotFoundException"},
		{"a long-term access key id keeps its AKIA prefix only",
			"Credential=AKIAIOSFODNN7EXAMPLE/20260101/eu-west-1/events/aws4_request",
			"Credential=AKIA<redacted>/20260101/eu-west-1/events/aws4_request"},
		{"a temporary access key id keeps its ASIA prefix only",
			"key ASIAXXXXXXXXXXXXXXXX in use", "key ASIA<redacted> in use"},
		{"a 12-digit account id is not a key",
			"arn:aws:iam::111111111111:role/busdrill", "arn:aws:iam::111111111111:role/busdrill"},
		{"an ini-style secret",
			"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
			"aws_secret_access_key = <redacted>"},
		{"a JSON secret and token",
			`{"AccessKeyId":"ASIAXXXXXXXXXXXXXXXX","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG","SessionToken":"FwoGZXIvYXdz+/=="}`,
			`{"AccessKeyId":"ASIA<redacted>","SecretAccessKey":"<redacted>","SessionToken":"<redacted>"}`},
		{"an XML STS answer",
			"<SecretAccessKey>wJalrXUtnFEMI/K7MDENG</SecretAccessKey><SessionToken>FwoGZXIvYXdz</SessionToken>",
			"<SecretAccessKey><redacted></SecretAccessKey><SessionToken><redacted></SessionToken>"},
		{"a security-token header and a signature in a canonical request",
			"x-amz-security-token:FwoGZXIvYXdzEBc Signature=0123456789abcdef0123",
			"x-amz-security-token:<redacted> Signature=<redacted>"},
	}
	for _, tt := range tests {
		if got := redact.String(tt.in); got != tt.want {
			t.Errorf("%s:\n got  %s\n want %s", tt.comment, got, tt.want)
		}
	}
}

func TestRegisteredSecretsAreScrubbedVerbatim(t *testing.T) {
	const secret = "unlabelledSecretValue+/0123456789abcdefgh"
	if got := redact.String("echo " + secret); got != "echo "+secret {
		t.Fatalf("unregistered secret changed: %s", got)
	}
	redact.Register(secret, "short") // short values are ignored
	if got := redact.String("echo " + secret + "."); got != "echo <redacted>." {
		t.Errorf("registered secret: got %s", got)
	}
	if got := redact.String("a short word"); got != "a short word" {
		t.Errorf("short value registered: %s", got)
	}
}

type codeErr struct{ code, msg string }

func (e *codeErr) Error() string { return e.code + ": " + e.msg }

func TestErrorFormatsRedactedAndUnwraps(t *testing.T) {
	inner := &codeErr{"SignatureDoesNotMatch", "key AKIAIOSFODNN7EXAMPLE token=FwoGZXIvYXdzEBcFake"}
	err := redact.Error(fmt.Errorf("calling: %w", inner))
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		s := fmt.Sprintf(verb, err)
		if strings.Contains(s, "IOSFODNN7EXAMPLE") || strings.Contains(s, "FwoGZXIvYXdzEBcFake") {
			t.Errorf("%s leaks: %s", verb, s)
		}
	}
	var ce *codeErr
	if !errors.As(err, &ce) || ce.code != "SignatureDoesNotMatch" {
		t.Error("errors.As lost the original error")
	}
	if redact.Error(err) != err {
		t.Error("Error wrapped twice")
	}
	if redact.Error(nil) != nil {
		t.Error("Error(nil) != nil")
	}
}

func TestCredentialsProviderRegistersAndRedacts(t *testing.T) {
	const secret = "providerSecretKeyFortyCharactersLong0000"
	p := redact.Credentials(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "AKIAPROVIDERTEST0001", SecretAccessKey: secret, SessionToken: "tokenvalue-1234"}, nil
	}))
	if _, err := p.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := redact.String("x " + secret + " tokenvalue-1234"); got != "x <redacted> <redacted>" {
		t.Errorf("got %s", got)
	}
	if s := fmt.Sprintf("%v %+v %#v", p, p, p); strings.Contains(s, secret) {
		t.Errorf("provider formatting leaks: %s", s)
	}
	failing := redact.Credentials(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, errors.New("refresh failed for " + secret)
	}))
	if _, err := failing.Retrieve(context.Background()); err == nil || strings.Contains(fmt.Sprintf("%+v", err), secret) {
		t.Errorf("provider error = %v", err)
	}
}

func TestLogger(t *testing.T) {
	var got string
	l := redact.Logger(logging.LoggerFunc(func(_ logging.Classification, format string, v ...interface{}) {
		got = fmt.Sprintf(format, v...)
	}))
	l.Logf(logging.Debug, "Authorization: AWS4-HMAC-SHA256 Credential=%s/..., Signature=%s", "AKIAIOSFODNN7EXAMPLE", "deadbeefdeadbeef")
	if want := "Authorization: AWS4-HMAC-SHA256 Credential=AKIA<redacted>/..., Signature=<redacted>"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
