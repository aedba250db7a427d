"""Drive busdrill serve with boto3, a client nobody in busdrill wrote.

Usage: python3 boto3_backbone.py ENDPOINT_URL

Builds a three-account backbone by API calls alone (a global bus in the
bus account fanning out to each service account's local bus except the
sender's, with a DLQ) and checks: fan-out except the sender, the forwarded
envelope (same id, the sender's account), a disabled rule dropping events,
a revoked permission sending the forward to the DLQ with its attributes,
TestEventPattern, and SQS long polling. Prints one line per check and
exits 1 on the first failure.
"""
import json
import sys
import threading
import time

import boto3

URL = sys.argv[1]
REGION = "us-east-1"
BUS, ORDERS, DELIVERY = "111111111111", "222222222222", "333333333333"


def client(service, account):
    # A 12-digit access key id acts as that account.
    return boto3.client(service, endpoint_url=URL, region_name=REGION,
                        aws_access_key_id=account, aws_secret_access_key="boto3-test")


def check(cond, what):
    if not cond:
        print("FAIL", what)
        sys.exit(1)
    print("ok  ", what)


def receive(sqs, url, want, wait=2):
    """Long-polls until want messages arrived (or 30 s), deleting them."""
    got, deadline = [], time.time() + 30
    while len(got) < want and time.time() < deadline:
        r = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=wait,
                                MessageAttributeNames=["All"])
        for m in r.get("Messages", []):
            got.append(m)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return got


eb = {a: client("events", a) for a in (BUS, ORDERS, DELIVERY)}
sqs = {a: client("sqs", a) for a in (BUS, ORDERS, DELIVERY)}
sts = client("sts", ORDERS)
check(sts.get_caller_identity()["Account"] == ORDERS, "GetCallerIdentity answers the key's account")

global_arn = eb[BUS].create_event_bus(Name="global")["EventBusArn"]
dlq_url = sqs[BUS].create_queue(QueueName="fanout-dlq")["QueueUrl"]
inbox = {}
for svc in (ORDERS, DELIVERY):
    eb[BUS].put_permission(EventBusName="global", Action="events:PutEvents", Principal=svc, StatementId="allow-" + svc)
    eb[svc].create_event_bus(Name="local")
    eb[svc].put_permission(EventBusName="local", Action="events:PutEvents", Principal=BUS, StatementId="from-global")
    inbox[svc] = sqs[svc].create_queue(QueueName="inbox")["QueueUrl"]
    eb[svc].put_rule(Name="all", EventBusName="local", EventPattern=json.dumps({"source": [{"prefix": ""}]}))
    eb[svc].put_targets(Rule="all", EventBusName="local",
                        Targets=[{"Id": "q", "Arn": "arn:aws:sqs:%s:%s:inbox" % (REGION, svc)}])
    eb[BUS].put_rule(Name="to-" + svc, EventBusName="global",
                     EventPattern=json.dumps({"account": [{"anything-but": svc}]}))
    eb[BUS].put_targets(Rule="to-" + svc, EventBusName="global", Targets=[{
        "Id": "local", "Arn": "arn:aws:events:%s:%s:event-bus/local" % (REGION, svc),
        "RoleArn": "arn:aws:iam::%s:role/fanout" % BUS,
        "DeadLetterConfig": {"Arn": "arn:aws:sqs:%s:%s:fanout-dlq" % (REGION, BUS)}}])
check(len(eb[BUS].list_rules(EventBusName="global")["Rules"]) == 2, "the backbone is built by API calls alone")


def put(sender, detail):
    r = eb[sender].put_events(Entries=[{"EventBusName": global_arn, "Source": "boto3.test",
                                        "DetailType": "Order.Created", "Detail": json.dumps(detail)}])
    check(r["FailedEntryCount"] == 0, "PutEvents from %s accepted" % sender)
    return r["Entries"][0]["EventId"]


event_id = put(ORDERS, {"n": 1})
got = receive(sqs[DELIVERY], inbox[DELIVERY], 1)
body = json.loads(got[0]["Body"]) if got else {}
check(len(got) == 1, "fan-out: the delivery account receives the orders account's event")
check(body.get("id") == event_id and body.get("account") == ORDERS,
      "the forwarded envelope keeps its id and the sender's account")
empty = sqs[ORDERS].receive_message(QueueUrl=inbox[ORDERS], WaitTimeSeconds=1)
check(not empty.get("Messages"), "fan-out skips the sender")

# SQS long polling: a poll that starts before the event is published gets
# it when it arrives.
polled = []
poller = threading.Thread(target=lambda: polled.append(
    sqs[ORDERS].receive_message(QueueUrl=inbox[ORDERS], WaitTimeSeconds=20, MaxNumberOfMessages=10)))
poller.start()
time.sleep(0.5)  # let the poll reach serve first (if it does not, it still gets the event)
put(DELIVERY, {"n": 2})
poller.join(60)
msgs = polled[0].get("Messages", []) if polled else []
check(len(msgs) == 1 and json.loads(msgs[0]["Body"])["detail"]["n"] == 2, "a long poll returns the event as it arrives")
for m in msgs:
    sqs[ORDERS].delete_message(QueueUrl=inbox[ORDERS], ReceiptHandle=m["ReceiptHandle"])

# A disabled rule drops what it would have matched: nothing is kept.
eb[BUS].disable_rule(Name="to-" + DELIVERY, EventBusName="global")
check(eb[BUS].describe_rule(Name="to-" + DELIVERY, EventBusName="global")["State"] == "DISABLED", "DescribeRule shows DISABLED")
put(ORDERS, {"n": 3})
time.sleep(1)  # the event meets the disabled rule (tens of ms of model latency) before it is enabled
eb[BUS].enable_rule(Name="to-" + DELIVERY, EventBusName="global")
put(ORDERS, {"n": 4})
got = receive(sqs[DELIVERY], inbox[DELIVERY], 1)
time.sleep(0.5)  # a second delivery, if there were one, would be queued by now
more = sqs[DELIVERY].receive_message(QueueUrl=inbox[DELIVERY], WaitTimeSeconds=1).get("Messages", [])
check([json.loads(m["Body"])["detail"]["n"] for m in got + more] == [4], "the event sent while the rule was disabled is lost")

# Permission loss: the forward fails, is not retried, and lands in the DLQ
# with EventBridge's attributes.
eb[DELIVERY].remove_permission(EventBusName="local", StatementId="from-global")
put(ORDERS, {"n": 5})
dl = receive(sqs[BUS], dlq_url, 1)
attrs = {k: v.get("StringValue") for k, v in (dl[0]["MessageAttributes"] if dl else {}).items()}
check(len(dl) == 1, "the refused forward is in the DLQ")
check(attrs.get("ERROR_CODE") == "NO_PERMISSIONS" and attrs.get("RETRY_ATTEMPTS") == "0", "ERROR_CODE NO_PERMISSIONS, RETRY_ATTEMPTS 0")
check(attrs.get("RULE_ARN") == "arn:aws:events:%s:%s:rule/global/to-%s" % (REGION, BUS, DELIVERY), "RULE_ARN names the rule")
check(attrs.get("TARGET_ARN") == "arn:aws:events:%s:%s:event-bus/local" % (REGION, DELIVERY), "TARGET_ARN names the bus")
check(bool(attrs.get("ERROR_MESSAGE")), "ERROR_MESSAGE is set")
check(json.loads(dl[0]["Body"])["detail"]["n"] == 5 if dl else False, "the DLQ body is the original event")

# TestEventPattern, and its errors.
event = {"id": "1", "account": ORDERS, "source": "boto3.test", "time": "2026-01-01T00:00:00Z",
         "region": REGION, "resources": [], "detail-type": "Order.Created", "detail": {"n": 1}}
check(eb[BUS].test_event_pattern(EventPattern=json.dumps({"detail": {"n": [{"numeric": [">", 0]}]}}),
                                 Event=json.dumps(event))["Result"], "TestEventPattern matches")
try:
    eb[BUS].test_event_pattern(EventPattern='{"source":[]}', Event=json.dumps(event))
    check(False, "an invalid pattern is refused")
except eb[BUS].exceptions.InvalidEventPatternException as e:
    check("Empty arrays are not allowed" in str(e), "an invalid pattern is refused with AWS's message")
try:
    sqs[BUS].get_queue_url(QueueName="nope")
    check(False, "an unknown queue is refused")
except sqs[BUS].exceptions.QueueDoesNotExist:
    check(True, "an unknown queue is QueueDoesNotExist")
print("all checks passed")
