package pattern

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
)

func TestComparableNumber(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
		why  string
	}{
		{"0", true, "zero"},
		{"-0", true, "minus zero is zero"},
		{"-0.0e5", true, "so is every spelling of it"},
		{"300", true, "an integer"},
		{"3e2", true, "an exponent"},
		{"300.000", true, "trailing zeros do not matter"},
		{"1E+6", true, "upper-case exponent with a sign"},
		{"0.1", true, "0.1 is the double whose text is 0.1"},
		{"129.97", true, "a price"},
		{"0.000001", true, "the documented sixth decimal"},
		{"4999999999.999999", true, "the documented bound, six decimals (16 digits)"},
		{"-5000000000", true, "the documented bound"},
		{"0.30000000000000001", false, "reads as 0.3, whose text is 0.3"},
		{"1000000.000000000001", false, "reads as 1e6"},
		{"9007199254740992", true, "2^53"},
		{"9007199254740993", false, "2^53+1 reads as 2^53"},
		{"9223372036854775807", false, "the largest int64 reads as 2^63"},
		{"9223372036854775808", false, "2^63 is a double, but its text is 9.223372036854776E18"},
		{"9223372036854776000", true, "that text"},
		{"123456789012345678", false, "18 digits"},
		{"1.7976931348623157e308", true, "the largest double"},
		{"1.8e308", false, "beyond it: infinite"},
		{"-1e400", false, "infinite"},
		{"1e-400", false, "reads as 0"},
		{"2.2250738585072014e-308", true, "the smallest normal double"},
		{"4.9e-324", true, "the smallest subnormal, as Java writes it"},
		{"5e-324", false, "its shortest text, which Java does not write"},
		{"1e-320", true, "a subnormal whose text is short"},
	} {
		v, _ := strconv.ParseFloat(c.text, 64)
		if _, got := comparableNumber(c.text, v); got != c.want {
			t.Errorf("%s: comparable(%s) = %v, want %v", c.why, c.text, got, c.want)
		}
	}
}

// TestDocumentedNumberRange: the AWS documentation's older guarantee holds
// exactly. Every number within ±5.0e9 with at most six decimal places, and
// every number of at most 15 significant digits, is comparable, and
// numbers one unit of the last place apart compare as different, in order.
func TestDocumentedNumberRange(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	check := func(lo, hi string) {
		t.Helper()
		a, _ := strconv.ParseFloat(lo, 64)
		b, _ := strconv.ParseFloat(hi, 64)
		a, okA := comparableNumber(lo, a)
		b, okB := comparableNumber(hi, b)
		if !okA || !okB || !(a < b) {
			t.Fatalf("%s (comparable %v) < %s (comparable %v): got %v", lo, okA, hi, okB, a < b)
		}
	}
	sixDecimals := func(micro int64) string {
		sign := ""
		if micro < 0 {
			sign, micro = "-", -micro
		}
		return fmt.Sprintf("%s%d.%06d", sign, micro/1e6, micro%1e6)
	}
	const bound = 5_000_000_000_000_000 // 5e9 in millionths
	for _, m := range []int64{-bound, -bound + 1, -1, 0, 1, bound - 1} {
		check(sixDecimals(m), sixDecimals(m+1))
	}
	for i := 0; i < 20000; i++ {
		m := r.Int64N(2*bound) - bound
		check(sixDecimals(m), sixDecimals(m+1))
	}
	for i := 0; i < 20000; i++ {
		// 15 digits, times a power of ten that keeps a normal double.
		mant := 100000000000000 + r.Int64N(899999999999999)
		exp := r.IntN(590) - 300
		check(fmt.Sprintf("%de%d", mant, exp), fmt.Sprintf("%de%d", mant+1, exp))
	}
	// And through the matcher: a bound matches itself and not its
	// neighbours.
	for i := 0; i < 200; i++ {
		m := r.Int64N(2*bound) - bound
		p := MustCompile(`{"k":[{"numeric":["=",` + sixDecimals(m) + `]}]}`)
		for d, want := range map[int64]bool{-1: false, 0: true, 1: false} {
			if got, err := p.MatchJSON(evt(`"k":` + sixDecimals(m+d))); err != nil || got != want {
				t.Fatalf("= %s against %s: %v, %v", sixDecimals(m), sixDecimals(m+d), got, err)
			}
		}
	}
}

func TestSameDecimal(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"300", "3e+02", true},
		{"300", "3.00e2", true},
		{"0.0030", "3e-03", true},
		{"-1.5", "-1.5e+00", true},
		{"-1.5", "1.5e+00", false},
		{"0", "-0e+00", true},
		{"10", "1e+00", false},
		{"1.25", "1.2e+00", false},
		{"12", "1.2e+01", true},
		{"1e999999999999999", "1e+09", false},
	} {
		if got := sameDecimal(c.a, c.b); got != c.want {
			t.Errorf("sameDecimal(%s, %s) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
