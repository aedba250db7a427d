package serve

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// prometheus renders the metrics in Prometheus' text format (0.0.4):
//
//   - busdrill_events_<metric>_total: the CloudWatch metrics EventBridge
//     publishes (sim/backbone's Metrics: Invocations, FailedInvocations,
//     MatchedEvents, ...), with AWS's dimensions as labels: account alone
//     (dimension None), account and event_bus (EventBusName), account,
//     event_bus and rule (RuleName);
//   - busdrill_serve_api_calls_total{service,operation,code}: every call,
//     code "" when it succeeded;
//   - busdrill_serve_queue_messages{account,queue,state}: visible,
//     in_flight, delayed;
//   - busdrill_serve_log_deliveries_total{target}: events delivered to
//     log-group (and other unmodelled) targets.
func (b *backend) prometheus() string {
	var sb strings.Builder
	type sample struct{ labels, value string }
	series := map[string][]sample{}
	for _, m := range b.model.Metrics() {
		name := "busdrill_events_" + snake(m.Name) + "_total"
		parts := strings.Split(m.Scope, "/")
		var labels string
		switch len(parts) {
		case 1:
			labels = fmt.Sprintf(`account=%q`, b.accountID(parts[0]))
		case 2:
			labels = fmt.Sprintf(`account=%q,event_bus=%q`, b.accountID(parts[0]), parts[1])
		default:
			labels = fmt.Sprintf(`account=%q,event_bus=%q,rule=%q`, b.accountID(parts[0]), parts[1], strings.Join(parts[2:], "/"))
		}
		series[name] = append(series[name], sample{labels, fmt.Sprint(m.Value)})
	}
	for _, k := range slices.Sorted(maps.Keys(b.calls)) {
		p := strings.SplitN(k, ":", 3)
		series["busdrill_serve_api_calls_total"] = append(series["busdrill_serve_api_calls_total"],
			sample{fmt.Sprintf(`service=%q,operation=%q,code=%q`, p[0], p[1], p[2]), fmt.Sprint(b.calls[k])})
	}
	for _, ref := range slices.Sorted(maps.Keys(b.queues.byRef)) {
		q := b.queues.byRef[ref]
		v, f, d := b.queues.counts(q)
		for _, x := range []struct {
			state string
			n     int
		}{{"visible", v}, {"in_flight", f}, {"delayed", d}} {
			series["busdrill_serve_queue_messages"] = append(series["busdrill_serve_queue_messages"],
				sample{fmt.Sprintf(`account=%q,queue=%q,state=%q`, q.account, q.name, x.state), fmt.Sprint(x.n)})
		}
	}
	for _, arn := range slices.Sorted(maps.Keys(b.logs)) {
		series["busdrill_serve_log_deliveries_total"] = append(series["busdrill_serve_log_deliveries_total"],
			sample{fmt.Sprintf(`target=%q`, arn), fmt.Sprint(b.logs[arn])})
	}
	names := make([]string, 0, len(series))
	for n := range series {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		typ := "counter"
		if !strings.HasSuffix(n, "_total") {
			typ = "gauge"
		}
		fmt.Fprintf(&sb, "# TYPE %s %s\n", n, typ)
		for _, s := range series[n] {
			fmt.Fprintf(&sb, "%s{%s} %s\n", n, s.labels, s.value)
		}
	}
	return sb.String()
}

// snake turns a CloudWatch metric name into Prometheus style:
// InvocationsSentToDlq → invocations_sent_to_dlq.
func snake(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
