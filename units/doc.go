// Package units parses the quantities people type in scenario files:
// durations, rates, byte sizes, probabilities and distributions of
// latencies and sizes.
//
// Every type here is a value with a Parse function, a canonical String
// that parses back to the same value, UnmarshalScalar (so that
// internal/yamlstrict decodes it from one YAML scalar), MarshalJSON and
// UnmarshalJSON (the canonical string; numbers are accepted where the
// text would be a plain number), MarshalText/UnmarshalText, MarshalYAML,
// and JSONSchema (pattern, description and examples for the scenario
// JSON Schema).
//
// # Errors
//
// A parse error is a *[ParseError] whose text names the kind of value,
// quotes the input and says exactly what is wrong:
//
//	invalid rate "20/x": unit must be /s, /m or /h
//	invalid duration "90": missing unit after 90 (write 90s, 90ms or 90m; units are ns, us, ms, s, m, h)
//	invalid distribution "lognormal(median=5s, p99=1s)": lognormal needs p99 ≥ median (got median=5s, p99=1s)
//
// In a scenario file, yamlstrict prefixes it with the file, line, column
// and field path.
//
// # Duration
//
// [Duration]: "90s", "10m", "1h30m", "250ms", "1.5s", "0s", and "0" alone
// (the only value without a unit). Units are ns, us (µs), ms, s, m and h,
// as in Go. Negative values, missing units, spaces inside ("1h 30m"),
// days ("2d": write 48h) and values beyond about 292 years are refused.
// String is time.Duration's ("1h30m0s").
//
// # Rate
//
// [Rate]: events per unit of time, "200/s", "12000/m" (or "/min"),
// "36000/h", "0.5/s". The value is events per second. A bare number is
// refused, because "200" could mean per second or per minute. String uses
// /s unless another unit is much shorter and exact ("1/h").
//
// # ByteSize
//
// [ByteSize]: "512" or "512B" (bytes), "2KB" (2000 bytes, SI) and "2KiB"
// (2048 bytes, IEC), with MB/MiB, GB/GiB, TB/TiB; unit letters are
// case-insensitive; "1.5KB" is fine (1500), "1.5B" is not; "2K" is refused
// as ambiguous. String picks the shortest exact unit ("256KiB").
//
// # Probability
//
// [Probability]: a fraction "0.005" or "1", or a percentage "0.5%".
// More than 1 (or 100%) or negative is refused; "2" gets the hint to
// write "2%". String prefers the percentage ("0.5%").
//
// # Distributions
//
// [Dist] is a latency distribution, [SizeDist] a size distribution. Both
// accept the same forms, over durations and over byte sizes respectively:
//
//	5s                              constant (a plain value)
//	constant(5s)                    constant
//	uniform(1s, 3s)                 uniform on [min, max); needs min ≤ max
//	exponential(mean=2s)            exponential; "exp(2s)" for short; needs mean > 0
//	lognormal(median=5s, p99=8s)    log-normal from two percentiles; needs 0 < median ≤ p99
//
//	2KB   uniform(1KB, 4KB)   exponential(mean=2KiB)   lognormal(median=2KB, p99=8KB)
//
// Arguments are positional (in the order shown) or named (min=, max=,
// mean=, median=, p99=, value=), positional first; names and parameter
// names are case-insensitive. A Dist holds an rng.Dist over nanoseconds
// (a SizeDist, over bytes) and is itself an rng.Dist; String renders the
// canonical form above ("exp(2s)" becomes "exponential(mean=2s)"), which
// parses back to the same distribution. The zero value is the constant 0.
//
// The parser is a table of named forms (distForms): adding a form is
// adding a row.
//
// In a YAML flow collection ({...} or [...]) a comma ends a value, so
// distributions there must be quoted: {latency: "uniform(1s, 3s)"}. In
// block style they need no quotes.
package units
