// Package config is the live section: where a scenario's accounts really
// are, how busdrill acts as each, and the guards of a live run. It comes
// from a separate file (busdrill run --target aws --live FILE) and is
// decoded strictly (internal/yamlstrict: unknown keys, wrong types and
// missing keys are errors with file:line:column).
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
// Accounts are reached as live/awsclients describes: the base credentials
// of the standard chain (or profile), a named profile, or a role assumed
// with STS. Credentials never appear in the file, output, logs, results
// or errors.
//
// The allowlist: [Config.CheckScenario] (called by provision.NewLayout,
// hence by plan, provision, teardown and run) refuses, before any call,
// a configuration in which any account id, mapped or named in a bus ARN,
// is not in allowed_accounts. An empty allowlist refuses everything.
//
// A rehearsal against a local emulator needs no file: [Rehearsal] is the
// live section `busdrill run --target aws` uses when the scenario has none
// and --endpoint-url is a loopback address ([LoopbackEndpoint]): each
// scenario account is its own scenario id, reached by assuming
// arn:aws:iam::ID:role/busdrill (busdrill serve issues credentials acting
// as ID), the allowlist exactly those ids.
package config
