#!/usr/bin/env bash
# run-example.sh BIN: the main job on the built-in example. Until the
# simulator's run command lands, that is checking the reference backbone's
# fan-out rule against an order event, as `aws events test-event-pattern`
# would, and showing a rule that does not match.
set -uo pipefail
bin=${1:-bin/busdrill}
cd "$(dirname "$0")/.."
echo "\$ busdrill pattern test --pattern examples/patterns/global-to-delivery.json --event examples/events/order-created.json"
"$bin" pattern test --pattern examples/patterns/global-to-delivery.json --event examples/events/order-created.json
echo "(exit $?: the global bus forwards this order to the delivery account's local bus)"
echo
echo "\$ busdrill pattern test --pattern '{\"detail-type\":[\"Order.Updated\"]}' --event examples/events/order-created.json"
"$bin" pattern test --pattern '{"detail-type":["Order.Updated"]}' --event examples/events/order-created.json
echo "(exit $?: no match)"
