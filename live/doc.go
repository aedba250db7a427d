// Package live is the root of busdrill's real-backbone adapter ("live
// mode"): the same actors as the simulator, driven against EventBridge and
// SQS in real (staging) accounts with aws-sdk-go-v2.
//
// Its subpackages:
//
//   - live/awsclients: aws.Config and EventBridge/SQS/STS clients per
//     scenario account (standard chain, profiles, AssumeRole), endpoint
//     override for emulators, retry settings.
//   - live/journal: the write-ahead rollback journal of every mutation
//     busdrill makes to an account, and restore from it.
//   - live/redact: keeps credentials out of errors, logs and output.
//
// Nothing here is used by the simulator; nothing under sim/ imports it.
package live
