package pattern

import (
	"unicode"
	"unicode/utf8"
)

// equals-ignore-case and the ignore-case forms of prefix and suffix
// compare with Unicode simple case folding, rune by rune: "K" (Kelvin
// sign), "k" and "K" are all equal. Folding can change a rune's UTF-8
// length, so prefixes and suffixes are walked rune by rune instead of
// being sliced by byte length. (event-ruler folds with Java's
// toLowerCase/toUpperCase per character; the two agree except for a few
// special cases such as the Turkish dotless i.) Nothing here allocates.

// equalFoldRune reports whether a and b are equal under simple folding.
func equalFoldRune(a, b rune) bool {
	if a == b {
		return true
	}
	if a < utf8.RuneSelf && b < utf8.RuneSelf {
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		return a == b
	}
	for r := unicode.SimpleFold(a); r != a; r = unicode.SimpleFold(r) {
		if r == b {
			return true
		}
	}
	return false
}

// hasPrefixFold reports whether s begins with prefix under simple folding.
func hasPrefixFold(s, prefix string) bool {
	for prefix != "" {
		if s == "" {
			return false
		}
		a, na := utf8.DecodeRuneInString(s)
		b, nb := utf8.DecodeRuneInString(prefix)
		if !equalFoldRune(a, b) {
			return false
		}
		s, prefix = s[na:], prefix[nb:]
	}
	return true
}

// hasSuffixFold reports whether s ends with suffix under simple folding.
func hasSuffixFold(s, suffix string) bool {
	for suffix != "" {
		if s == "" {
			return false
		}
		a, na := utf8.DecodeLastRuneInString(s)
		b, nb := utf8.DecodeLastRuneInString(suffix)
		if !equalFoldRune(a, b) {
			return false
		}
		s, suffix = s[:len(s)-na], suffix[:len(suffix)-nb]
	}
	return true
}
