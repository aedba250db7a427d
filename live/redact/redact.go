package redact

import (
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Placeholder replaces a redacted value.
const Placeholder = "<redacted>"

// MaxRegistered bounds the registry of verbatim secrets; the oldest are
// forgotten first (a long run refreshes assumed-role credentials hourly).
const MaxRegistered = 256

// minSecretLen is the shortest value Register accepts: shorter strings would
// redact ordinary words.
const minSecretLen = 8

var (
	accessKeyID = regexp.MustCompile(`\b(AKIA|ASIA)[A-Z0-9]{16}\b`)

	labels = `secret_?access_?key|aws_secret_access_key|secret_?key|session_?token|security_?token|` +
		`x-amz-security-token|signature|token`
	// key=value, key: value, "key":"value", key="value"
	labelled = regexp.MustCompile(`(?i)\b(` + labels + `)(["']?\s*[:=]\s*["']?)([A-Za-z0-9/+=%._\-]{4,})`)
	// <Key>value</Key>
	xmlLabelled = regexp.MustCompile(`(?i)(<(?:SecretAccessKey|SessionToken|SecurityToken)>)([^<]*)`)
)

var registry struct {
	mu       sync.RWMutex
	order    []string // oldest first
	set      map[string]struct{}
	replacer *strings.Replacer
}

// Register records secret values to scrub verbatim from everything
// [String] sees. Empty and short (< 8 bytes) values are ignored.
func Register(secrets ...string) {
	fresh := secrets[:0:0]
	registry.mu.RLock()
	for _, s := range secrets {
		if len(s) < minSecretLen {
			continue
		}
		if _, ok := registry.set[s]; !ok {
			fresh = append(fresh, s)
		}
	}
	registry.mu.RUnlock()
	if len(fresh) == 0 {
		return
	}
	registry.mu.Lock()
	defer registry.mu.Unlock()
	if registry.set == nil {
		registry.set = make(map[string]struct{})
	}
	for _, s := range fresh {
		if _, ok := registry.set[s]; ok {
			continue
		}
		registry.set[s] = struct{}{}
		registry.order = append(registry.order, s)
	}
	for len(registry.order) > MaxRegistered {
		delete(registry.set, registry.order[0])
		registry.order = registry.order[1:]
	}
	// Longest first, so a secret that contains another is replaced whole.
	byLen := append([]string(nil), registry.order...)
	sort.SliceStable(byLen, func(i, j int) bool { return len(byLen[i]) > len(byLen[j]) })
	pairs := make([]string, 0, 2*len(byLen))
	for _, s := range byLen {
		pairs = append(pairs, s, Placeholder)
	}
	registry.replacer = strings.NewReplacer(pairs...)
}

// String returns s with every known secret, access key id and labelled
// secret value replaced by [Placeholder].
func String(s string) string {
	registry.mu.RLock()
	r := registry.replacer
	registry.mu.RUnlock()
	if r != nil {
		s = r.Replace(s)
	}
	s = accessKeyID.ReplaceAllString(s, "${1}"+Placeholder)
	s = xmlLabelled.ReplaceAllString(s, "${1}"+Placeholder)
	s = labelled.ReplaceAllStringFunc(s, func(m string) string {
		sub := labelled.FindStringSubmatch(m)
		if sub[3] == Placeholder || strings.HasPrefix(sub[3], Placeholder) {
			return m
		}
		return sub[1] + sub[2] + Placeholder
	})
	return s
}
