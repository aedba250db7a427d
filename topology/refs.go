package topology

import "strings"

// References are readable and uniform:
//
//	account          "orders"              an Account.Name
//	bus              "orders/local"        Bus.Account + "/" + Bus.Name
//	queue            "orders/inbox"        Queue.Account + "/" + Queue.Name
//	handler          "delivery/worker"     Handler.Account + "/" + Handler.Name
//	rule             "orders/local/all"    bus ref + "/" + Rule.Name
//	target/consumer  "orders/local/all/log" rule ref + "/" + Target.ID
//
// A consumer (the unit the loss ledger counts) is a queue, log or handler
// target, named by its target reference: the same queue fed by two rules
// is two consumers, because EventBridge delivers to it twice.

// SplitRef splits "account/name" into its two parts; ok is false when the
// reference does not have exactly that shape.
func SplitRef(ref string) (account, name string, ok bool) {
	i := strings.IndexByte(ref, '/')
	if i <= 0 || i == len(ref)-1 || strings.IndexByte(ref[i+1:], '/') >= 0 {
		return "", "", false
	}
	return ref[:i], ref[i+1:], true
}

// TargetRef returns the reference of a target, which is also the consumer
// name of queue, log and handler targets: "account/bus/rule/target".
func TargetRef(bus *Bus, rule *Rule, target *Target) string {
	return bus.Account + "/" + bus.Name + "/" + rule.Name + "/" + target.ID
}

// RuleRef returns "account/bus/rule".
func RuleRef(bus *Bus, rule *Rule) string {
	return bus.Account + "/" + bus.Name + "/" + rule.Name
}

// ARNs, as EventBridge writes them in DLQ attributes.

// BusARN is arn:aws:events:REGION:ACCOUNT:event-bus/NAME.
func BusARN(region, accountID, name string) string {
	return "arn:aws:events:" + region + ":" + accountID + ":event-bus/" + name
}

// RuleARN is arn:aws:events:REGION:ACCOUNT:rule/BUS/RULE (custom bus form).
func RuleARN(region, accountID, bus, rule string) string {
	return "arn:aws:events:" + region + ":" + accountID + ":rule/" + bus + "/" + rule
}

// QueueARN is arn:aws:sqs:REGION:ACCOUNT:NAME.
func QueueARN(region, accountID, name string) string {
	return "arn:aws:sqs:" + region + ":" + accountID + ":" + name
}

// LogARN is arn:aws:logs:REGION:ACCOUNT:log-group:NAME.
func LogARN(region, accountID, name string) string {
	return "arn:aws:logs:" + region + ":" + accountID + ":log-group:" + name
}

// FunctionARN is arn:aws:lambda:REGION:ACCOUNT:function:NAME.
func FunctionARN(region, accountID, name string) string {
	return "arn:aws:lambda:" + region + ":" + accountID + ":function:" + name
}

// RoleARN is arn:aws:iam::ACCOUNT:role/NAME.
func RoleARN(accountID, name string) string {
	return "arn:aws:iam::" + accountID + ":role/" + name
}

// ParseBusARN extracts the account id and bus name from an event-bus ARN.
func ParseBusARN(arn string) (accountID, name string, ok bool) {
	const prefix = "arn:aws:events:"
	if !strings.HasPrefix(arn, prefix) {
		return "", "", false
	}
	rest := arn[len(prefix):]
	i := strings.IndexByte(rest, ':') // after region
	if i < 0 {
		return "", "", false
	}
	rest = rest[i+1:]
	j := strings.IndexByte(rest, ':')
	if j < 0 {
		return "", "", false
	}
	accountID, rest = rest[:j], rest[j+1:]
	const res = "event-bus/"
	if !strings.HasPrefix(rest, res) || len(rest) == len(res) {
		return "", "", false
	}
	return accountID, rest[len(res):], true
}

// PolicyAllows reports whether a bus owned by owner accepts PutEvents from
// sender under policy: always for the owner's own account; otherwise when
// a statement names the sender (by Name or ID) or "*", with its OrgID
// condition, if any, satisfied.
func PolicyAllows(policy []Statement, owner, sender *Account) bool {
	if owner.Name == sender.Name {
		return true
	}
	for i := range policy {
		s := &policy[i]
		if s.Action != "" && s.Action != ActionPutEvents && s.Action != "events:*" {
			continue
		}
		if s.Principal != "*" && s.Principal != sender.Name && (sender.ID == "" || s.Principal != sender.ID) {
			continue
		}
		if s.OrgID != "" && s.OrgID != sender.OrgID {
			continue
		}
		return true
	}
	return false
}
