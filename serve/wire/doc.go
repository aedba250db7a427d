// Package wire is the three AWS wire protocols busdrill serve speaks, as
// the SDKs and the AWS CLI use them:
//
//   - EventBridge: JSON 1.1, POST / with X-Amz-Target: AWSEvents.<Op> and
//     Content-Type application/x-amz-json-1.1; errors are HTTP 400 (500
//     for InternalException) with {"__type": code, "message": text}.
//   - SQS: the JSON protocol of current SDKs (JSON 1.0, X-Amz-Target:
//     AmazonSQS.<Op>), "awsQueryCompatible": errors carry the JSON shape
//     name in __type ("com.amazonaws.sqs#QueueDoesNotExist") and the
//     query protocol's code in the X-Amzn-Query-Error header
//     ("AWS.SimpleQueueService.NonExistentQueue;Sender"), which the SDKs
//     report as the error code.
//   - STS: the query protocol (form-encoded Action=...&Version=...) with
//     XML answers and <ErrorResponse><Error><Type/><Code/><Message/>
//     errors.
//
// Every answer carries x-amzn-RequestId. [Credential] reads the access key
// id (and the signing service and Region) from a SigV4 Authorization
// header or a presigned query; signatures are not verified: serve is a
// local emulator on loopback, and credentials only select the account.
//
// The package knows nothing of EventBridge's semantics: it frames
// requests and answers.
package wire
