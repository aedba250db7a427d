package report

import "github.com/busdrill/busdrill/event"

// KnownCauses are the loss causes busdrill books, in either world: what
// loss.CAUSE may name. Causes are free-form in the ledger (a live run can
// meet an error code nobody listed), so a cause outside this list is
// accepted — unless it is one typo away from a listed one, which is then
// suggested (loss.rule-disabld is a mistake, not a new cause).
var KnownCauses = []string{
	// dropped by the model or the producer
	"rule-disabled", "unknown-bus", "handler-failed", "poison", "throttled", "oversized", "match-budget",
	// PutEvents per-entry error codes, for entries a producer gave up
	event.CodeAccessDenied, event.CodeInternalFailure, event.CodeThrottling, event.CodeInvalidArgument,
	event.CodeMalformedDetail, event.CodeNotAuthorizedSource, event.CodeInvalidAccountID,
	// a target's ERROR_CODE, for deliveries dropped (or dead-lettered) after it
	"NO_PERMISSIONS", "NO_RESOURCE", "FAILED_TO_ASSUME_ROLE", "THIRD_ACCOUNT_HOP_DETECTED",
	"THROTTLING", "CONNECTION_FAILURE", "TIMEOUT", "INTERNAL_ERROR", "ERROR_FROM_TARGET",
	"CROSS_ACCOUNT_INGESTION_FAILED", "SDK_CLIENT_ERROR", "TRANSIENT_ASSUME_ROLE",
}
