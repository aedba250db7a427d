package main

// Exit codes are part of busdrill's interface: CI systems branch on them.
const (
	// exitOK: success; for a run, every expectation held; for pattern
	// test, the event matched.
	exitOK = 0
	// exitFail: an expectation failed; for pattern test, no match.
	exitFail = 1
	// exitUsage: bad input or usage (invalid pattern, unknown flag,
	// malformed scenario).
	exitUsage = 2
	// exitAborted: a run was interrupted or aborted by a stop condition.
	exitAborted = 3
)
