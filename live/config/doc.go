// Package config completes a live run's live section (the data type is
// scenarios/livespec) with what only the live runtime knows: the
// rehearsal against a local emulator.
//
// A rehearsal needs no live section: [Rehearsal] is the one `busdrill run
// --target aws` uses when the scenario has none and --endpoint-url is a
// loopback address ([LoopbackEndpoint]): each scenario account is its own
// scenario id, reached by assuming arn:aws:iam::ID:role/busdrill
// (busdrill serve issues credentials acting as ID), the allowlist exactly
// those ids. Nothing here calls AWS or imports the SDK.
package config
