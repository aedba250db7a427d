// Package livespec is a scenario's live section, as data: where the
// scenario's accounts really are, how busdrill acts as each, and the
// guards and knobs of a live run. It is the `live:` key of a scenario file,
// or a file of its own (busdrill run --target aws --live FILE), decoded
// strictly (internal/yamlstrict: unknown keys, wrong types and missing
// keys are errors with file:line:column).
//
//	region: eu-west-1
//	endpoint_url: http://127.0.0.1:5000    # emulators only; --endpoint-url wins
//	allowed_accounts: ["111111111111", "222222222222", "333333333333"]
//	accounts:                               # every scenario account
//	  bus:      {id: "111111111111", role_arn: "arn:aws:iam::111111111111:role/busdrill"}
//	  orders:   {id: "222222222222", profile: staging-orders}
//	  delivery: {id: "333333333333", role_arn: "...", external_id: "..."}
//	buses:                                  # when deployed names differ
//	  bus/global: arn:aws:events:eu-west-1:111111111111:event-bus/backbone
//	probes: {buses: [orders/local, delivery/local], pollers: 2, wait_time: 20s}
//	dlqs: [delivery/delivery-dlq]           # besides those the scenario names
//	publisher: {concurrency: 32, linger: 1ms, max_resends: 3, resend_backoff: 100ms}
//	retry: {max_attempts: 3, max_backoff: 20s}
//	stop: {max_error_rate: 0.05, max_loss_rate: 0.01, loss_after: 60s, max_duration: 30m}
//	tags: {team: payments}
//
// The package calls nothing and imports no AWS SDK: the scenario loader
// reads it, and live mode (live/awsclients builds the clients from
// [Account]s, live/session runs with the rest) acts on it. Credentials
// never appear in the file, output, logs, results or errors.
//
// # Checks
//
// [Config.Validate] checks what can be checked alone, every problem at
// once: the Region, 12-digit ids, [Accounts.Validate] (names, one id per
// name, a role_arn in the account it is declared for, external_id only
// with a role), non-negative counts, SQS's 20 s long-poll limit, rates
// between 0 and 1.
//
// The allowlist: [Config.CheckScenario] (called by live/provision's
// NewLayout, hence by plan, provision, teardown and run) refuses, before
// any call, a configuration in which any account id, mapped or named in a
// bus ARN, is not in allowed_accounts, and one that leaves a scenario
// account unmapped. An empty allowlist refuses everything.
// [Config.CheckAllowed] is the allowlist alone ('busdrill aws restore').
//
// # Defaults
//
// A zero value means the documented default (the Default constants); the
// OrDefault methods give the effective values.
package livespec
