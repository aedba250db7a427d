// Package redact keeps AWS credentials out of everything busdrill prints:
// error messages, logs, reports and journals.
//
// The rule for live mode: an access key id, secret access key or session
// token must never be formatted. Every path that can carry one goes through
// this package:
//
//   - [Error] wraps an error so that formatting it, with any verb (%v, %+v,
//     %#v, %s, %q), yields the redacted text. errors.Is and errors.As still
//     see the original chain, so callers can inspect API error codes; do not
//     print the fields of an unwrapped error (ErrorMessage()) directly.
//   - [Credentials] wraps a credentials provider. Every value it hands out is
//     registered, so a later message that echoes it verbatim (for example a
//     SignatureDoesNotMatch message quoting the canonical request, which
//     includes x-amz-security-token) is scrubbed even without a label.
//     Errors from the provider (a failed AssumeRole) are wrapped with [Error].
//   - [Logger] wraps an SDK logger so request/response logging is scrubbed.
//   - [String] is the scrubber itself.
//
// What [String] removes:
//
//   - every registered secret, verbatim (at most [MaxRegistered] are kept,
//     the most recent first; values shorter than 8 bytes are not registered);
//   - access key ids: AKIA… and ASIA… followed by 16 upper-case letters or
//     digits, replaced by "AKIA<redacted>" / "ASIA<redacted>" (the prefix
//     tells long-term from temporary keys, which helps debugging and reveals
//     nothing);
//   - the value after a label that names a secret: SecretAccessKey,
//     secret_access_key, aws_secret_access_key, SessionToken, session_token,
//     SecurityToken, X-Amz-Security-Token, Signature, token; in key=value, key: value,
//     "key":"value" and <Key>value</Key> shapes, case-insensitively.
//
// Redaction is a last line of defence, not a licence: code must still avoid
// formatting credential values, and types that hold credentials implement
// fmt.Formatter (see live/awsclients) so %+v of a struct cannot dump them.
package redact
