package awsclients_test

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/busdrill/busdrill/internal/motoserver"
	"github.com/busdrill/busdrill/live/awsclients"
	"github.com/busdrill/busdrill/scenarios/livespec"
)

const (
	busAcct    = "111111111111"
	ordersAcct = "222222222222"
)

func twoRoleAccounts() livespec.Accounts {
	return livespec.Accounts{
		"bus":    {ID: busAcct, RoleARN: "arn:aws:iam::" + busAcct + ":role/busdrill"},
		"orders": {ID: ordersAcct, RoleARN: "arn:aws:iam::" + ordersAcct + ":role/busdrill", ExternalID: "drill-ext"},
	}
}

func listBuses(t *testing.T, c *awsclients.Clients) []string {
	t.Helper()
	out, err := c.EventBridge.ListEventBuses(testCtx(t), &eventbridge.ListEventBusesInput{})
	if err != nil {
		t.Fatalf("%s: ListEventBuses: %v", c, err)
	}
	var names []string
	for _, b := range out.EventBuses {
		names = append(names, aws.ToString(b.Name))
		if arn := aws.ToString(b.Arn); !strings.Contains(arn, ":"+c.Account.ID+":") {
			t.Errorf("%s: bus ARN %s is not in account %s", c, arn, c.Account.ID)
		}
	}
	slices.Sort(names)
	return names
}

// AssumeRole into two accounts: each sees only its own resources, and STS
// reports the declared account and the busdrill-<runid> session name.
func TestAssumeRoleSeparatesAccounts(t *testing.T) {
	ctx := testCtx(t)
	set, err := awsclients.New(ctx, motoOptions(t), twoRoleAccounts())
	if err != nil {
		t.Fatal(err)
	}
	if err := set.VerifyIdentities(ctx); err != nil {
		t.Fatalf("VerifyIdentities: %v", err)
	}
	bus, _ := set.Account("bus")
	orders, _ := set.Account("orders")

	arn, err := orders.Identity(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := "assumed-role/busdrill/busdrill-test-run-1"; !strings.HasSuffix(arn, want) {
		t.Errorf("caller ARN %s, want suffix %s", arn, want)
	}

	for c, name := range map[*awsclients.Clients]string{bus: "global", orders: "local"} {
		if _, err := c.EventBridge.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String(name)}); err != nil {
			t.Fatalf("%s: CreateEventBus %s: %v", c, name, err)
		}
		if _, err := c.SQS.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name + "-sink")}); err != nil {
			t.Fatalf("%s: CreateQueue: %v", c, err)
		}
	}
	if got, want := listBuses(t, bus), []string{"default", "global"}; !slices.Equal(got, want) {
		t.Errorf("bus account buses = %v, want %v", got, want)
	}
	if got, want := listBuses(t, orders), []string{"default", "local"}; !slices.Equal(got, want) {
		t.Errorf("orders account buses = %v, want %v", got, want)
	}
	q, err := orders.SQS.ListQueues(ctx, &sqs.ListQueuesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(q.QueueUrls) != 1 || !strings.Contains(q.QueueUrls[0], ordersAcct) || !strings.HasSuffix(q.QueueUrls[0], "local-sink") {
		t.Errorf("orders queues = %v, want only local-sink in %s", q.QueueUrls, ordersAcct)
	}
}

// VerifyIdentities catches credentials that belong to another account than
// the one declared.
func TestVerifyIdentitiesCatchesWrongAccount(t *testing.T) {
	ctx := testCtx(t)
	accounts := twoRoleAccounts()
	accounts["stray"] = livespec.Account{ID: "444444444444"} // base creds are moto's 123456789012
	set, err := awsclients.New(ctx, motoOptions(t), accounts)
	if err != nil {
		t.Fatal(err)
	}
	err = set.VerifyIdentities(ctx)
	if err == nil || !strings.Contains(err.Error(), "account stray: credentials belong to account 123456789012, not 444444444444") {
		t.Fatalf("VerifyIdentities = %v, want the stray account named", err)
	}
	if strings.Contains(err.Error(), "account bus") || strings.Contains(err.Error(), "account orders") {
		t.Errorf("good accounts reported: %v", err)
	}
}

// A named profile supplies an account's credentials, and can be the source
// for a role assumption.
func TestProfileAccounts(t *testing.T) {
	ctx := testCtx(t)
	opts := motoOptions(t)
	opts.Credentials = nil // the base chain must not be needed
	cfgFile := os.Getenv("AWS_CONFIG_FILE")
	profile := "[profile staging]\naws_access_key_id = AKIAMOTOPROFILE00001\n" +
		"aws_secret_access_key = profileSecretKeyWhichIsFortyCharsLong0000\nregion = " + motoserver.TestRegion + "\n"
	if err := os.WriteFile(cfgFile, []byte(profile), 0o600); err != nil {
		t.Fatal(err)
	}
	set, err := awsclients.New(ctx, opts, livespec.Accounts{
		"plain":  {ID: "123456789012", Profile: "staging"},
		"viarol": {ID: ordersAcct, Profile: "staging", RoleARN: "arn:aws:iam::" + ordersAcct + ":role/busdrill"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := set.VerifyIdentities(ctx); err != nil {
		t.Fatal(err)
	}
}

// Without --endpoint-url the SDK's own AWS_ENDPOINT_URL is honoured; with
// it, the explicit URL beats even a service-specific variable.
func TestEndpointPrecedence(t *testing.T) {
	ctx := testCtx(t)
	opts := motoOptions(t)
	url := opts.EndpointURL

	opts.EndpointURL = ""
	t.Setenv("AWS_ENDPOINT_URL", url)
	set, err := awsclients.New(ctx, opts, livespec.Accounts{"a": {ID: "123456789012"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := set.VerifyIdentities(ctx); err != nil {
		t.Fatalf("AWS_ENDPOINT_URL not honoured: %v", err)
	}

	// A closed loopback port: reaching it would fail fast.
	t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
	t.Setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:1")
	opts.EndpointURL = url
	opts.Retry.MaxAttempts = 1
	set, err = awsclients.New(ctx, opts, livespec.Accounts{"a": {ID: "123456789012"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := set.VerifyIdentities(ctx); err != nil {
		t.Fatalf("explicit endpoint did not win over AWS_ENDPOINT_URL_STS: %v", err)
	}
}

func TestRetrySettings(t *testing.T) {
	ctx := testCtx(t)
	opts := motoOptions(t)
	cfg, err := awsclients.LoadConfig(ctx, opts, "", opts.Credentials)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Retryer().MaxAttempts(); got != 3 {
		t.Errorf("default MaxAttempts = %d, want 3", got)
	}
	opts.Retry = awsclients.Retry{MaxAttempts: 7, MaxBackoff: 2 * time.Second, NoRetryQuota: true}
	cfg, err = awsclients.LoadConfig(ctx, opts, "", opts.Credentials)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Retryer().MaxAttempts(); got != 7 {
		t.Errorf("MaxAttempts = %d, want 7", got)
	}
	if got, want := opts.Retry.String(), "standard retryer: 7 attempts, max backoff 2s, retry quota off"; got != want {
		t.Errorf("Retry.String() = %q, want %q", got, want)
	}
	if got, want := (awsclients.Retry{}).String(), "standard retryer: 3 attempts, max backoff 20s, retry quota on"; got != want {
		t.Errorf("zero Retry.String() = %q, want %q", got, want)
	}
}

func TestNoRegionIsAnError(t *testing.T) {
	motoserver.IsolateAWSEnv(t)
	os.Unsetenv("AWS_REGION")
	_, err := awsclients.LoadConfig(testCtx(t), awsclients.Options{EndpointURL: "http://127.0.0.1:1"}, "", nil)
	if err == nil || !strings.Contains(err.Error(), "no AWS region") {
		t.Fatalf("err = %v, want no AWS region", err)
	}
}

func TestBadEndpointURL(t *testing.T) {
	motoserver.IsolateAWSEnv(t)
	for _, u := range []string{"127.0.0.1:5000", "ftp://127.0.0.1", "http://"} {
		if _, err := awsclients.LoadConfig(testCtx(t), awsclients.Options{EndpointURL: u}, "", nil); err == nil {
			t.Errorf("endpoint %q accepted", u)
		}
	}
}

func TestUnknownAccount(t *testing.T) {
	ctx := testCtx(t)
	set, err := awsclients.New(ctx, motoOptions(t), twoRoleAccounts())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := set.Account("nope"); err == nil || !strings.Contains(err.Error(), "known: bus, orders") {
		t.Errorf("Account(nope) = %v", err)
	}
	if got := set.Names(); !slices.Equal(got, []string{"bus", "orders"}) {
		t.Errorf("Names = %v", got)
	}
}
