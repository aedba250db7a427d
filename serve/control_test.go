package serve_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/serve"
)

func httpDo(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// The control endpoints on a preloaded scenario: its resources, a fault
// injected now and cleared, and the metrics in Prometheus text.
func TestControlEndpoints(t *testing.T) {
	sc, err := scenarios.Builtin("reference")
	if err != nil {
		t.Fatal(err)
	}
	s := start(t, serve.Options{Scenario: sc})
	if code, body := httpDo(t, "GET", s.URL()+"/_busdrill/resources", ""); code != 200 ||
		!strings.Contains(body, `"Name": "global"`) || !strings.Contains(body, "to-delivery") {
		t.Fatalf("resources: %d %s", code, body)
	}
	code, body := httpDo(t, "POST", s.URL()+"/_busdrill/faults", "kind: disable-rule\nname: off\nbus: bus/global\nrule: to-delivery\n")
	if code != 200 || !strings.Contains(body, `"active"`) {
		t.Fatalf("inject: %d %s", code, body)
	}
	c := as(s.URL(), "111111111111")
	d, err := c.eb.DescribeRule(ctx(t), &eventbridge.DescribeRuleInput{Name: aws.String("to-delivery"), EventBusName: aws.String("global")})
	if err != nil || string(d.State) != "DISABLED" {
		t.Fatalf("rule after the fault: %v %v", d, err)
	}
	if code, body := httpDo(t, "DELETE", s.URL()+"/_busdrill/faults/off", ""); code != 200 || !strings.Contains(body, `"done"`) {
		t.Fatalf("clear: %d %s", code, body)
	}
	if code, body := httpDo(t, "POST", s.URL()+"/_busdrill/faults", "kind: outage\nservice: nope\n"); code != 400 || !strings.Contains(body, "nope") {
		t.Fatalf("bad fault: %d %s", code, body)
	}
	// Traffic, then the metrics.
	o := as(s.URL(), "222222222222")
	for i := 0; i < 3; i++ {
		publish(t, o, "arn:aws:events:us-east-1:111111111111:event-bus/global", `{"n":1}`)
	}
	eventually(t, "metrics of the fan-out", func() bool {
		_, m := httpDo(t, "GET", s.URL()+"/_busdrill/metrics", "")
		return strings.Contains(m, `busdrill_events_matched_events_total{account="111111111111",event_bus="global",rule="to-delivery"} 3`)
	})
	_, m := httpDo(t, "GET", s.URL()+"/_busdrill/metrics", "")
	for _, want := range []string{
		"# TYPE busdrill_events_invocations_total counter",
		`busdrill_events_put_events_approximate_call_count_total{account="222222222222"} 3`,
		`busdrill_serve_api_calls_total{service="events",operation="PutEvents",code=""} 3`,
		`busdrill_serve_api_calls_total{service="events",operation="DescribeRule",code=""} 1`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %q:\n%s", want, m)
		}
	}
	if _, err := c.sqs.ListQueues(ctx(t), &sqs.ListQueuesInput{}); err != nil {
		t.Fatal(err)
	}
	if code, body := httpDo(t, "GET", s.URL()+"/_busdrill/info", ""); code != 200 || !strings.Contains(body, `"scenario": "reference"`) {
		t.Fatalf("info: %d %s", code, body)
	}
}

// Only loopback addresses are served unless the caller insists.
func TestListenLoopbackOnly(t *testing.T) {
	for _, tc := range []struct {
		addr  string
		allow bool
		ok    bool
	}{
		{"127.0.0.1:0", false, true},
		{"localhost:0", false, true},
		{"[::1]:0", false, true},
		{"0.0.0.0:4566", false, false},
		{"10.0.0.1:4566", false, false},
		{"0.0.0.0:4566", true, true},
		{"nonsense", false, false},
	} {
		_, err := serve.New(serve.Options{Listen: tc.addr, AllowNonLoopback: tc.allow})
		if (err == nil) != tc.ok {
			t.Errorf("%s allow=%v: %v", tc.addr, tc.allow, err)
		}
	}
}
