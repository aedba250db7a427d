package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/busdrill/busdrill/units"
)

// Variation is what a swarm (busdrill swarm --vary) may change in a
// scenario from one seed to the next, so that combinations nobody wrote
// get tried: which faults are on, when the windowed ones start and how
// long they last, and how fast the traffic runs. A scenario marks it with
// its vary key; the command line gives it with --vary. Both use one
// grammar, a comma-separated list of items:
//
//	faults            every fault is switched off in about half the seeds
//	faults=A+B        only faults A and B are
//	at                each windowed fault (one with at and for) starts
//	                  anywhere it still ends within the traffic
//	at=LO..HI         ... starts between LO and HI (e.g. 30s..4m)
//	for               each windowed fault lasts ½ to 2 times its length
//	for=LO..HI        ... lasts between LO and HI
//	rate              every rate of the traffic is scaled by one factor
//	                  between 0.5 and 1.5
//	rate=LO..HI       ... between LO and HI (e.g. 0.25..2)
//	default           faults, at, for and rate
//
// A busdrill run ignores the key: it runs the scenario as written. The
// swarm draws each seed's variation from that seed alone (one random
// stream per fault, one for the rate), so a seed's variation does not
// depend on the other seeds, on the number of workers, or on the faults
// written before it. Instant faults (replay, redrive) and faults without
// a window are switched on and off but never moved.
type Variation struct {
	// Faults switches faults on and off: AllFaults for every fault,
	// else the named ones; nil switches none.
	Faults []string
	// At and For bound the start and the length of windowed faults; nil
	// leaves them as written.
	At, For *DurationRange
	// Rate bounds the factor every traffic rate is scaled by; nil leaves
	// the traffic as written.
	Rate *FactorRange
}

// AllFaults in Variation.Faults switches every fault.
const AllFaults = "*"

// DurationRange is LO..HI; Auto means the item was given without bounds
// (at: wherever the fault fits; for: ½ to 2 times its written length).
type DurationRange struct {
	Lo, Hi time.Duration
	Auto   bool
}

// FactorRange is a range of scale factors.
type FactorRange struct{ Lo, Hi float64 }

// Bounds of a variation.
const (
	// MinVariedDuration is the least start or length a variation draws:
	// a scenario file cannot say at: 0 (it means "no window").
	MinVariedDuration = time.Second
	// DefaultRateLo and DefaultRateHi bound the rate factor of "rate".
	DefaultRateLo, DefaultRateHi = 0.5, 1.5
	// MaxRateFactor bounds the rate factor (the plan's ceilings apply on
	// top of it).
	MaxRateFactor = 100.0
	// maxVaryText bounds the text parsed.
	maxVaryText = 4096
)

// IsZero reports whether the variation changes nothing.
func (v Variation) IsZero() bool {
	return v.Faults == nil && v.At == nil && v.For == nil && v.Rate == nil
}

// Switches reports whether the variation may switch the fault named
// name off.
func (v Variation) Switches(name string) bool {
	return slices.Contains(v.Faults, AllFaults) || slices.Contains(v.Faults, name)
}

// String writes the variation in its grammar.
func (v Variation) String() string {
	var items []string
	switch {
	case slices.Contains(v.Faults, AllFaults):
		items = append(items, "faults")
	case v.Faults != nil:
		items = append(items, "faults="+strings.Join(v.Faults, "+"))
	}
	for _, d := range []struct {
		key string
		r   *DurationRange
	}{{"at", v.At}, {"for", v.For}} {
		switch {
		case d.r == nil:
		case d.r.Auto:
			items = append(items, d.key)
		default:
			items = append(items, d.key+"="+units.Duration(d.r.Lo).String()+".."+units.Duration(d.r.Hi).String())
		}
	}
	if v.Rate != nil {
		items = append(items, "rate="+strconv.FormatFloat(v.Rate.Lo, 'g', -1, 64)+".."+strconv.FormatFloat(v.Rate.Hi, 'g', -1, 64))
	}
	return strings.Join(items, ",")
}

// DefaultVariation is "default": faults, at, for and rate.
func DefaultVariation() Variation {
	return Variation{
		Faults: []string{AllFaults},
		At:     &DurationRange{Auto: true}, For: &DurationRange{Auto: true},
		Rate: &FactorRange{Lo: DefaultRateLo, Hi: DefaultRateHi},
	}
}

// ParseVariation parses the grammar above. faults, when not nil, are the
// scenario's fault names, which faults=A+B must name.
func ParseVariation(text string, faults []string) (Variation, error) {
	var v Variation
	if len(text) > maxVaryText {
		return v, fmt.Errorf("a variation is at most %d characters, not %d", maxVaryText, len(text))
	}
	if strings.TrimSpace(text) == "" {
		return v, fmt.Errorf("empty variation: give items such as faults, at, for, rate or default")
	}
	seen := map[string]bool{}
	for _, item := range strings.Split(text, ",") {
		item = strings.TrimSpace(item)
		key, arg, hasArg := strings.Cut(item, "=")
		key = strings.TrimSpace(key)
		arg = strings.TrimSpace(arg)
		if seen[key] {
			return v, fmt.Errorf("%q is given twice", key)
		}
		seen[key] = true
		if hasArg && arg == "" {
			return v, fmt.Errorf("%s= needs a value (or write %s alone)", key, key)
		}
		var err error
		switch key {
		case "default":
			if hasArg {
				return v, fmt.Errorf("default takes no value")
			}
			d := DefaultVariation()
			v.Faults, v.At, v.For, v.Rate = d.Faults, d.At, d.For, d.Rate
		case "faults":
			v.Faults, err = parseFaultList(arg, hasArg, faults)
		case "at", "for":
			r := &DurationRange{Auto: !hasArg}
			if hasArg {
				r.Lo, r.Hi, err = parseDurationRange(arg)
			}
			if key == "at" {
				v.At = r
			} else {
				v.For = r
			}
		case "rate":
			r := &FactorRange{Lo: DefaultRateLo, Hi: DefaultRateHi}
			if hasArg {
				r.Lo, r.Hi, err = parseFactorRange(arg)
			}
			v.Rate = r
		case "":
			return v, fmt.Errorf("an empty item (two commas, or a comma at an end)")
		default:
			return v, fmt.Errorf("unknown item %q: use faults, at, for, rate or default", clipText(key, 40))
		}
		if err != nil {
			return v, fmt.Errorf("%s: %w", key, err)
		}
	}
	return v, nil
}

func parseFaultList(arg string, hasArg bool, faults []string) ([]string, error) {
	if !hasArg {
		return []string{AllFaults}, nil
	}
	var out []string
	for _, name := range strings.Split(arg, "+") {
		name = strings.TrimSpace(name)
		switch {
		case name == "":
			return nil, fmt.Errorf("an empty fault name in %q (names are joined with +)", clipText(arg, 60))
		case faults != nil && !slices.Contains(faults, name):
			if len(faults) == 0 {
				return nil, fmt.Errorf("no fault named %q: the scenario has no faults", clipText(name, 40))
			}
			return nil, fmt.Errorf("no fault named %q (faults: %s)", clipText(name, 40), strings.Join(faults, ", "))
		case slices.Contains(out, name):
			return nil, fmt.Errorf("fault %q is named twice", name)
		}
		out = append(out, name)
	}
	return out, nil
}

func parseDurationRange(arg string) (lo, hi time.Duration, err error) {
	los, his, ok := strings.Cut(arg, "..")
	if !ok {
		return 0, 0, fmt.Errorf("want LO..HI, e.g. 30s..2m, not %q", clipText(arg, 40))
	}
	l, err := units.ParseDuration(strings.TrimSpace(los))
	if err != nil {
		return 0, 0, err
	}
	h, err := units.ParseDuration(strings.TrimSpace(his))
	if err != nil {
		return 0, 0, err
	}
	lo, hi = l.D(), h.D()
	switch {
	case lo < MinVariedDuration:
		return 0, 0, fmt.Errorf("the range starts at %v: the least is %v", lo, MinVariedDuration)
	case hi < lo:
		return 0, 0, fmt.Errorf("the range ends (%v) before it starts (%v)", hi, lo)
	case hi > MaxRunLength:
		return 0, 0, fmt.Errorf("the range ends at %v, beyond a run's ceiling of %v", hi, MaxRunLength)
	}
	return lo, hi, nil
}

func parseFactorRange(arg string) (lo, hi float64, err error) {
	los, his, ok := strings.Cut(arg, "..")
	if !ok {
		return 0, 0, fmt.Errorf("want LO..HI, e.g. 0.5..2, not %q", clipText(arg, 40))
	}
	lo, err1 := strconv.ParseFloat(strings.TrimSpace(los), 64)
	hi, err2 := strconv.ParseFloat(strings.TrimSpace(his), 64)
	switch {
	case err1 != nil || err2 != nil || math.IsNaN(lo) || math.IsNaN(hi):
		return 0, 0, fmt.Errorf("want two numbers LO..HI, e.g. 0.5..2, not %q", clipText(arg, 40))
	case !(lo > 0):
		return 0, 0, fmt.Errorf("the factors must be above 0 (got %v)", lo)
	case hi < lo:
		return 0, 0, fmt.Errorf("the range ends (%v) before it starts (%v)", hi, lo)
	case hi > MaxRateFactor:
		return 0, 0, fmt.Errorf("a factor is at most %v (got %v)", MaxRateFactor, hi)
	}
	return lo, hi, nil
}

// clipText shortens what a message echoes back.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
