package capacity

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/busdrill/busdrill/internal/suggest"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/topology"
	"github.com/busdrill/busdrill/units"
)

// Override is one --set KEY=VALUE: a quota, a concurrency, a processing
// time, a throughput limit or a retry policy changed for the search.
// Keys are named as in the scenario's model and services sections:
//
//	model.putevents_tps=N                 every account's PutEvents quota, requests/s
//	model.putevents_tps.ACCOUNT=N         one account's (by its name in the scenario)
//	model.invocations_tps=N               every account's invocations quota, invocations/s
//	model.invocations_tps.ACCOUNT=N       one account's
//	model.putevents_burst=N               the quotas' token-bucket depths
//	model.invocations_burst=N
//	services.NAME.concurrency=N           a service's concurrent executions
//	services.NAME.processing=DIST         its processing time: 2s, lognormal(median=2s, p99=3s)
//	services.NAME.max_rate=R              its target's throughput limit: 300/s
//	services.NAME.retry.maximum_retry_attempts=N        the retry policy of the
//	services.NAME.retry.maximum_event_age_in_seconds=N  target invoking it
//	targets.ACCOUNT/BUS/RULE/ID.retry.maximum_retry_attempts=N       any target's
//	targets.ACCOUNT/BUS/RULE/ID.retry.maximum_event_age_in_seconds=N
//
// Rates may be written 2000 or 2000/s.
type Override struct{ Key, Value string }

func (o Override) String() string { return o.Key + "=" + o.Value }

// OverrideKeys lists the override keys, for help and suggestions.
var OverrideKeys = []string{
	"model.putevents_tps", "model.putevents_tps.ACCOUNT", "model.invocations_tps", "model.invocations_tps.ACCOUNT",
	"model.putevents_burst", "model.invocations_burst",
	"services.NAME.concurrency", "services.NAME.processing", "services.NAME.max_rate",
	"services.NAME.retry.maximum_retry_attempts", "services.NAME.retry.maximum_event_age_in_seconds",
	"targets.REF.retry.maximum_retry_attempts", "targets.REF.retry.maximum_event_age_in_seconds",
}

// Bounds of override values: far beyond any real backbone, they keep a
// typo from becoming a run that cannot end.
const (
	maxQuota       = 1e7 // requests or invocations per second
	maxConcurrency = 1e7
	maxBurst       = 1e7
)

// ParseOverride parses KEY=VALUE.
func ParseOverride(s string) (Override, error) {
	k, v, ok := strings.Cut(s, "=")
	k, v = strings.TrimSpace(k), strings.TrimSpace(v)
	if !ok || k == "" || v == "" {
		return Override{}, fmt.Errorf("--set %q: write KEY=VALUE, e.g. services.delivery.concurrency=5000", clip(s))
	}
	return Override{Key: k, Value: v}, nil
}

// apply applies the overrides to sc, in order; the first that names
// nothing in the scenario, or has a bad value, is an error naming it.
func apply(sc *scenarios.Scenario, ovs []Override) error {
	for _, o := range ovs {
		if err := applyOne(sc, o); err != nil {
			return fmt.Errorf("--set %s: %w", clip(o.String()), err)
		}
	}
	return nil
}

func applyOne(sc *scenarios.Scenario, o Override) error {
	switch {
	case strings.HasPrefix(o.Key, "model."):
		return applyModel(sc, strings.TrimPrefix(o.Key, "model."), o.Value)
	case strings.HasPrefix(o.Key, "services."):
		rest := strings.TrimPrefix(o.Key, "services.")
		name, field, ok := strings.Cut(rest, ".")
		if !ok {
			return fmt.Errorf("write services.NAME.FIELD (FIELD: concurrency, processing, max_rate, retry.maximum_retry_attempts, retry.maximum_event_age_in_seconds)")
		}
		return applyService(sc, name, field, o.Value)
	case strings.HasPrefix(o.Key, "targets."):
		rest := strings.TrimPrefix(o.Key, "targets.")
		i := strings.Index(rest, ".retry.")
		if i < 0 {
			return fmt.Errorf("write targets.ACCOUNT/BUS/RULE/ID.retry.maximum_retry_attempts or ...maximum_event_age_in_seconds")
		}
		ref, field := rest[:i], rest[i+len(".retry."):]
		var targets []*topology.Target
		var refs []string
		forTargets(sc.Topology, func(r string, t *topology.Target) {
			refs = append(refs, r)
			if r == ref {
				targets = append(targets, t)
			}
		})
		if len(targets) == 0 {
			return fmt.Errorf("no target %q%s", clip(ref), didYouMean(ref, refs))
		}
		return applyRetry(targets, field, o.Value)
	}
	return fmt.Errorf("unknown key%s; keys: %s", didYouMean(o.Key, OverrideKeys), strings.Join(OverrideKeys, ", "))
}

func applyModel(sc *scenarios.Scenario, key, value string) error {
	p := &sc.Model
	switch key {
	case "putevents_burst", "invocations_burst":
		n, err := wholeNumber(value, 1, maxBurst)
		if err != nil {
			return err
		}
		if key == "putevents_burst" {
			p.PutEventsBurst = n
		} else {
			p.InvocationsBurst = n
		}
		return nil
	}
	quota, account, _ := strings.Cut(key, ".")
	if quota != "putevents_tps" && quota != "invocations_tps" {
		return fmt.Errorf("unknown model key %q%s (putevents_tps, invocations_tps, putevents_burst, invocations_burst)",
			clip(key), didYouMean(quota, []string{"putevents_tps", "invocations_tps", "putevents_burst", "invocations_burst"}))
	}
	tps, err := rate(value, maxQuota)
	if err != nil {
		return err
	}
	if account == "" {
		if quota == "putevents_tps" {
			p.PutEventsTPS = tps
		} else {
			p.InvocationsTPS = tps
		}
		return nil
	}
	var names []string
	for _, a := range sc.Topology.Accounts {
		names = append(names, a.Name)
	}
	if !slices.Contains(names, account) {
		return fmt.Errorf("no account %q%s", clip(account), didYouMean(account, names))
	}
	i := slices.IndexFunc(p.AccountQuotas, func(q scenarios.AccountQuota) bool { return q.Account == account })
	if i < 0 {
		p.AccountQuotas = append(p.AccountQuotas, scenarios.AccountQuota{Account: account})
		i = len(p.AccountQuotas) - 1
	}
	if quota == "putevents_tps" {
		p.AccountQuotas[i].PutEventsTPS = tps
	} else {
		p.AccountQuotas[i].InvocationsTPS = tps
	}
	return nil
}

func applyService(sc *scenarios.Scenario, name, field, value string) error {
	var names []string
	var svc *scenarios.Service
	for i := range sc.Services {
		names = append(names, sc.Services[i].Name)
		if sc.Services[i].Name == name && svc == nil {
			svc = &sc.Services[i]
		}
	}
	if svc == nil {
		return fmt.Errorf("no service %q%s", clip(name), didYouMean(name, names))
	}
	if retry, ok := strings.CutPrefix(field, "retry."); ok {
		var targets []*topology.Target
		forTargets(sc.Topology, func(_ string, t *topology.Target) {
			if t.Kind == topology.KindHandler && t.Handler == svc.Handler {
				targets = append(targets, t)
			}
		})
		if len(targets) == 0 {
			return fmt.Errorf("no rule target invokes service %s", name)
		}
		return applyRetry(targets, retry, value)
	}
	switch field {
	case "concurrency":
		n, err := wholeNumber(value, 1, maxConcurrency)
		if err != nil {
			return err
		}
		svc.Concurrency = n
	case "processing":
		d, err := units.ParseDist(value)
		if err != nil {
			return err
		}
		svc.Processing = d.Rng()
	case "max_rate":
		r, err := rate(value, maxQuota)
		if err != nil {
			return err
		}
		svc.MaxRate = r
	default:
		fields := []string{"concurrency", "processing", "max_rate", "retry.maximum_retry_attempts", "retry.maximum_event_age_in_seconds"}
		return fmt.Errorf("unknown service field %q%s (%s)", clip(field), didYouMean(field, fields), strings.Join(fields, ", "))
	}
	return nil
}

// applyRetry sets a retry policy field on targets, within AWS's ranges
// (MaximumRetryAttempts 0–185, MaximumEventAgeInSeconds 60–86,400).
func applyRetry(targets []*topology.Target, field, value string) error {
	var n int
	var err error
	switch field {
	case "maximum_retry_attempts":
		n, err = wholeNumber(value, 0, 185)
	case "maximum_event_age_in_seconds":
		n, err = wholeNumber(value, 60, 86400)
	default:
		return fmt.Errorf("unknown retry field %q (maximum_retry_attempts or maximum_event_age_in_seconds)", clip(field))
	}
	if err != nil {
		return err
	}
	for _, t := range targets {
		if field == "maximum_retry_attempts" {
			t.Retry.MaximumRetryAttempts = topology.Int(n)
		} else {
			t.Retry.MaximumEventAgeInSeconds = topology.Int(n)
		}
	}
	return nil
}

// forTargets calls f with every target of the topology and its reference
// (account/bus/rule/id).
func forTargets(t *topology.Topology, f func(ref string, tg *topology.Target)) {
	for b := range t.Buses {
		bus := &t.Buses[b]
		for i := range bus.Rules {
			r := &bus.Rules[i]
			for k := range r.Targets {
				f(topology.TargetRef(bus, r, &r.Targets[k]), &r.Targets[k])
			}
		}
	}
}

// rate parses a positive rate: 2000, 2000/s or 120000/m.
func rate(s string, most float64) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		r, rerr := units.ParseRate(s)
		if rerr != nil {
			return 0, fmt.Errorf("%q is not a rate (write 2000 or 2000/s)", clip(s))
		}
		v = r.PerSecond()
	}
	if !(v > 0) || v > most || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q: want a rate above 0 and at most %g per second", clip(s), most)
	}
	return v, nil
}

// wholeNumber parses an integer in [lo, hi].
func wholeNumber(s string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%q: want a whole number from %d to %d", clip(s), lo, hi)
	}
	return n, nil
}

// didYouMean is ` (did you mean "x"?)` for the closest of names, or "".
func didYouMean(typed string, names []string) string {
	if s := suggest.Closest(typed, names); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

// clip shortens a value echoed in a message.
func clip(s string) string {
	if len(s) <= 80 {
		return s
	}
	cut := 80
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
