package backbone

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
)

// cmdLoads: loads — the model's load now (load.go): each handler's slots,
// backlog and work, each account's quota use and invocation delay, and
// each target's retrying (targets that never retried are left out).
func cmdLoads(t *testing.T, h *harness, d *datadriven.TestData) string {
	m := h.model(t, d)
	var b strings.Builder
	fmt.Fprintf(&b, "at %s\n", fmtTime(m.Now()))
	for _, l := range m.HandlerLoads(nil) {
		fmt.Fprintf(&b, "handler %s account=%s concurrency=%d max-rate=%g busy=%d waiting=%d oldest=%v work=%v runs=%d offered=%d retrying=%d booked=%v\n",
			l.Handler, l.Account, l.Concurrency, l.MaxRate, l.Busy, l.Waiting, l.OldestWait, l.Work, l.Runs, l.Offered, l.Retrying, l.RateBooked)
	}
	for _, l := range m.AccountLoads(nil) {
		fmt.Fprintf(&b, "account %s put=%g/s (in force %g/s) inv=%g/s (in force %g/s) put-calls=%d throttled=%d invocations=%d delay=%v booked=%v/%v\n",
			l.Account, l.PutEventsTPS, l.PutEventsTPSInForce, l.InvocationsTPS, l.InvocationsTPSInForce,
			l.PutCalls, l.PutThrottled, l.Invocations, l.InvocationDelay, l.PutEventsBooked, l.InvocationsBooked)
	}
	for _, l := range m.TargetLoads(nil) {
		if l.MaxRetry == 0 && l.Retrying == 0 {
			continue
		}
		fmt.Fprintf(&b, "target %s account=%s policy=%d/%v retrying=%d max-retry=%d max-age=%v exhausted=%d/%d\n",
			l.Target, l.Account, l.MaxRetries, l.MaxAge, l.Retrying, l.MaxRetry, l.MaxRetryAge, l.ExhaustedAttempts, l.ExhaustedAge)
	}
	return b.String()
}
