package awsclients_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"

	"github.com/busdrill/busdrill/internal/motoserver"
	"github.com/busdrill/busdrill/live/awsclients"
	"github.com/busdrill/busdrill/scenarios/livespec"
)

// Credentials a hostile (or just chatty) endpoint echoes back must not
// reach any formatted error, nor any formatted client, options or set.
func TestCredentialsNeverFormatted(t *testing.T) {
	motoserver.IsolateAWSEnv(t)
	const (
		akid   = "ASIAREDACTTEST000001"
		secret = "redactTestSecretKeyFortyCharacters/+0000"
		token  = "IQoJb3JpZ2luX2VjEJr//////////wEaCWV1LXdlc3QtMSJGMEQCIFakeSessionTokenForTests"
	)
	// Role credentials handed out by the fake STS.
	const (
		roleAKID   = "ASIAROLEROLEROLE0001"
		roleSecret = "roleSecretKeyFortyCharactersLong00000000"
		roleToken  = "FwoGZXIvYXdzEFakeRoleSessionTokenValueForTests0123456789"
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		// Echo the request's own credentials: the headers, and (unlabelled)
		// the secret that belongs to the key id it was signed with.
		auth := r.Header.Get("Authorization")
		mySecret, myToken := secret, token
		if strings.Contains(auth, roleAKID) {
			mySecret, myToken = roleSecret, roleToken
		}
		leak := fmt.Sprintf("canonical request: authorization:%s x-amz-security-token:%s; signed with %s; token again %s",
			auth, r.Header.Get("X-Amz-Security-Token"), mySecret, myToken)
		if target := r.Header.Get("X-Amz-Target"); target != "" { // EventBridge, JSON 1.1
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"__type":"SignatureDoesNotMatch","message":%q}`, leak)
			return
		}
		if strings.Contains(string(body), "Action=AssumeRole") { // STS, query protocol
			if strings.Contains(string(body), "fail-role") {
				w.WriteHeader(http.StatusForbidden)
				fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>%s</Message></Error></ErrorResponse>`, leak)
				return
			}
			fmt.Fprintf(w, `<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>%s</AccessKeyId>`+
				`<SecretAccessKey>%s</SecretAccessKey><SessionToken>%s</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>`+
				`</Credentials><AssumedRoleUser><Arn>arn:aws:sts::111111111111:assumed-role/r/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>`+
				`</AssumeRoleResult></AssumeRoleResponse>`, roleAKID, roleSecret, roleToken)
			return
		}
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>%s</Message></Error></ErrorResponse>`, leak)
	}))
	defer srv.Close()

	opts := awsclients.Options{
		Region:      motoserver.TestRegion,
		EndpointURL: srv.URL,
		Credentials: credentials.NewStaticCredentialsProvider(akid, secret, token),
	}
	opts.Retry.MaxAttempts = 1
	ctx := context.Background()
	set, err := awsclients.New(ctx, opts, livespec.Accounts{
		"base": {ID: "123456789012"},
		"role": {ID: "111111111111", RoleARN: "arn:aws:iam::111111111111:role/r"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var formatted []string
	format := func(v any) {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			formatted = append(formatted, fmt.Sprintf(verb, v))
		}
	}
	for _, name := range []string{"base", "role"} {
		c, _ := set.Account(name)
		_, err := c.EventBridge.ListEventBuses(ctx, &eventbridge.ListEventBusesInput{})
		if err == nil {
			t.Fatalf("%s: want an error from the fake endpoint", name)
		}
		format(err)
		format(c)
		_, err = c.Identity(ctx)
		format(err)
	}
	format(set.VerifyIdentities(ctx)) // errors.Join of wrapped errors
	format(set)
	format(opts)

	// A failing AssumeRole: the error comes out of the credentials provider.
	failing := opts
	failing.RunID = "fail-role" // in the AssumeRole body: the fake STS refuses it
	set2, err := awsclients.New(ctx, failing, livespec.Accounts{
		"role": {ID: "111111111111", RoleARN: "arn:aws:iam::111111111111:role/r"},
	})
	if err != nil {
		t.Fatal(err)
	}
	c2, _ := set2.Account("role")
	_, err = c2.EventBridge.ListEventBuses(ctx, &eventbridge.ListEventBusesInput{})
	format(err)

	all := strings.Join(formatted, "\n")
	for _, s := range []string{akid, secret, token, roleAKID, roleSecret, roleToken} {
		if strings.Contains(all, s) {
			i := strings.Index(all, s)
			t.Errorf("credential %.8s... leaked in formatted output near %q", s, all[max(0, i-80):min(len(all), i+40)])
		}
	}
	if !strings.Contains(all, "SignatureDoesNotMatch") || !strings.Contains(all, "<redacted>") {
		t.Errorf("errors lost their useful part; sample:\n%.600s", all)
	}
}
