package assemble

import "strings"

// ARN is a parsed Amazon Resource Name:
// arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE.
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// ParseARN splits an ARN; ok is false when s is not one.
func ParseARN(s string) (ARN, bool) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] == "" {
		return ARN{}, false
	}
	return ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}, true
}

func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// Kinds of target a rule can have, as the ARN says.
const (
	arnBus     = "bus"
	arnQueue   = "queue"
	arnLog     = "log"
	arnHandler = "handler"
)

// classify says what a target ARN points at and its name in its account:
// an event bus, an SQS queue, a log group or a Lambda function (an alias
// or version ARN names its function). kind is "" for every other
// service; the name is then the service.
func classify(a ARN) (kind, name, qualifier string) {
	switch a.Service {
	case "events":
		if n, ok := strings.CutPrefix(a.Resource, "event-bus/"); ok && n != "" {
			return arnBus, n, ""
		}
	case "sqs":
		if a.Resource != "" && !strings.ContainsAny(a.Resource, ":/") {
			return arnQueue, a.Resource, ""
		}
	case "logs":
		if n, ok := strings.CutPrefix(a.Resource, "log-group:"); ok {
			n = strings.TrimSuffix(n, ":*")
			if n != "" {
				return arnLog, n, ""
			}
		}
	case "lambda":
		if n, ok := strings.CutPrefix(a.Resource, "function:"); ok && n != "" {
			name, q, _ := strings.Cut(n, ":")
			return arnHandler, name, q
		}
	}
	return "", a.Service, ""
}

// RoleName returns the name of an IAM role ARN
// (arn:aws:iam::ACCOUNT:role/PATH/NAME) and its account.
func RoleName(arn string) (name, account string, ok bool) {
	a, ok := ParseARN(arn)
	if !ok || a.Service != "iam" || !strings.HasPrefix(a.Resource, "role/") {
		return "", "", false
	}
	r := a.Resource
	return r[strings.LastIndexByte(r, '/')+1:], a.Account, true
}
