// Package event is the EventBridge event as it travels through a backbone:
// the PutEvents request entry a producer sends, the per-entry result the
// service answers with, and the envelope that rules match and targets receive.
//
// # The envelope
//
// [Envelope] carries the fields EventBridge sets or copies from the entry
// (version, id, detail-type, source, account, time, region, resources,
// detail) plus replay-name for replayed events. [Envelope.AppendJSON]
// serialises it with the field order AWS uses on delivery to SQS, so bodies
// written by the model read like the real thing. Detail is kept as raw JSON:
// the model never re-parses it except to flatten the fields a pattern needs.
//
// # Size accounting
//
// [EntrySize] implements the documented PutEvents size formula: a fixed 14
// bytes when Time is set, plus the UTF-8 byte lengths of Source, DetailType,
// Detail and each Resources string. Nothing else counts (TraceHeader does
// not). The limit is applied to the sum over a request's entries; it is a
// parameter because AWS raised it from 256 KiB in 2026 and the exact new
// figure is unconfirmed ([DefaultMaxRequestBytes]).
//
// # Flattening for matching
//
// Event patterns address values by dot-joined paths ("detail.data.total").
// [PathSet] compiles the paths a set of patterns tests into a trie;
// [PathSet.FlattenJSON] and [PathSet.FlattenEnvelope] turn an event into
// the [Field] values at those paths, with the positions of the arrays that
// enclose each one (so a matcher can insist that two values come from the
// same array element, see [Flat.Consistent]). FlattenJSON is a single
// iterative pass over the bytes that validates the whole event but only
// looks at the subtrees on a path; FlattenEnvelope reads the struct and
// parses Detail only when a path goes below "detail". A [Flat] is reusable
// scratch space: flattening into a reused Flat does not allocate. The
// pattern language itself lives in package pattern.
//
// # Error codes
//
// The per-entry and per-request error codes and messages are the ones AWS
// returns, copied exactly (see eventbridge-model.md §1.2), so that results
// produced by the model and by a real account read the same.
package event
