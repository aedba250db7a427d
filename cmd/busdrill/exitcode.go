package main

// Exit codes are part of busdrill's interface: CI systems branch on them.
const (
	// exitOK: success; for a run, every expectation held; for pattern
	// test, the event matched.
	exitOK = 0
	// exitFail: an expectation failed; for pattern test, no match; for
	// report compare, a regression.
	exitFail = 1
	// exitUsage: bad input or usage (invalid pattern, unknown flag,
	// malformed scenario, a plan over the ceilings, an output folder that
	// cannot be written), found before anything ran.
	exitUsage = 2
	// exitAborted: a run was interrupted (SIGINT, SIGTERM) or aborted by
	// a stop condition; its partial results are written, marked
	// interrupted.
	exitAborted = 3
	// exitWriteFailed: a run ended but its outputs could not be written
	// (disk full, folder removed); the results are printed instead.
	exitWriteFailed = 4
)
