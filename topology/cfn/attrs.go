package cfn

import (
	"strings"
)

// nameProps is the property that holds the physical name of each resource
// type the importer reads, or refers to from the types it reads.
var nameProps = map[string]string{
	TypeEventBus:                       "Name",
	TypeRule:                           "Name",
	TypeArchive:                        "ArchiveName",
	TypeQueue:                          "QueueName",
	TypeFunction:                       "FunctionName",
	TypeLogGroup:                       "LogGroupName",
	TypeRole:                           "RoleName",
	"AWS::Lambda::Alias":               "Name",
	"AWS::SNS::Topic":                  "TopicName",
	"AWS::StepFunctions::StateMachine": "StateMachineName",
	"AWS::Kinesis::Stream":             "Name",
}

// Resource types the importer reads.
const (
	TypeEventBus       = "AWS::Events::EventBus"
	TypeEventBusPolicy = "AWS::Events::EventBusPolicy"
	TypeRule           = "AWS::Events::Rule"
	TypeArchive        = "AWS::Events::Archive"
	TypeQueue          = "AWS::SQS::Queue"
	TypeFunction       = "AWS::Lambda::Function"
	TypeLogGroup       = "AWS::Logs::LogGroup"
	TypeRole           = "AWS::IAM::Role"
)

// PhysicalName returns the name a resource has once deployed: its name
// property when the template sets one, else its logical id. (CloudFormation
// generates "stack-LogicalId-RANDOM" names that are only known after
// deployment; the importer names such resources by their logical id and
// records them in Generated.) It is "" for types without a name.
func (s *Stack) PhysicalName(r *Resource) (string, error) {
	s.init()
	prop, ok := nameProps[r.Type]
	if !ok {
		return "", nil
	}
	if n, ok := s.names[r.LogicalID]; ok {
		return n, nil
	}
	if s.nameBusy[r.LogicalID] {
		return "", errAt(r.Node, r.Path(prop), "the name of %s depends on itself", r.LogicalID)
	}
	s.nameBusy[r.LogicalID] = true
	defer delete(s.nameBusy, r.LogicalID)
	name := r.LogicalID
	v := r.Properties.Get(prop)
	if v != nil {
		e, err := s.eval(v, r.Path(prop))
		if err != nil {
			return "", err
		}
		if e.Kind == NoValue {
			v = nil
		} else {
			t, err := textOf(e, v, r.Path(prop))
			if err != nil {
				return "", err
			}
			name = t
		}
	}
	if v == nil {
		s.Generated[r.LogicalID] = true
		if r.Type == TypeQueue {
			if f := r.Properties.Get("FifoQueue"); f != nil && f.Text == "true" {
				name += ".fifo"
			}
		}
	}
	s.names[r.LogicalID] = name
	return name, nil
}

// arn builds an ARN of this stack's account and Region.
func (s *Stack) arn(service, resource string) string {
	return "arn:" + s.Partition() + ":" + service + ":" + s.Region + ":" + s.Account + ":" + resource
}

func (s *Stack) live(r *Resource, at *Value, path string) error {
	ok, err := s.Exists(r)
	if err != nil {
		return err
	}
	if !ok {
		return errAt(at, path, "%s is left out of the stack by its condition %s", r.LogicalID, r.Condition)
	}
	return nil
}

// resourceRef is Ref to a resource: what CloudFormation returns for each
// type (a name, a URL, an ARN), or an Opaque value for types the importer
// does not know.
func (s *Stack) resourceRef(r *Resource, at *Value, path string) (*Value, error) {
	if err := s.live(r, at, path); err != nil {
		return nil, err
	}
	name, err := s.PhysicalName(r)
	if err != nil {
		return nil, err
	}
	switch r.Type {
	case TypeEventBus, TypeFunction, TypeLogGroup, TypeRole, TypeArchive, "AWS::Kinesis::Stream":
		return str(name), nil
	case TypeRule:
		bus, err := s.RuleBusName(r)
		if err != nil {
			return nil, err
		}
		if bus == "default" {
			return str(name), nil
		}
		return str(bus + "|" + name), nil
	case TypeQueue:
		return str("https://sqs." + s.Region + "." + s.URLSuffix() + "/" + s.Account + "/" + name), nil
	case "AWS::SNS::Topic":
		return str(s.arn("sns", name)), nil
	case "AWS::StepFunctions::StateMachine":
		return str(s.arn("states", "stateMachine:"+name)), nil
	case "AWS::Lambda::Alias":
		fn, err := s.Text(r.Properties.Get("FunctionName"), r.Path("FunctionName"))
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(fn, "arn:") {
			fn = s.arn("lambda", "function:"+fn)
		}
		return str(fn + ":" + name), nil
	}
	return &Value{Kind: Opaque, Origin: r.LogicalID, Type: r.Type, Text: r.Type + " " + r.LogicalID}, nil
}

// getAtt is Fn::GetAtt for the attributes the importer needs; every other
// attribute is an Opaque value.
func (s *Stack) getAtt(id, att string, at *Value, path string) (*Value, error) {
	r := s.T.Resource(id)
	if r == nil {
		return nil, errAt(at, path, "Fn::GetAtt: the template has no resource %q", id)
	}
	if err := s.live(r, at, path); err != nil {
		return nil, err
	}
	name, err := s.PhysicalName(r)
	if err != nil {
		return nil, err
	}
	switch r.Type + "." + att {
	case TypeEventBus + ".Arn":
		return str(s.arn("events", "event-bus/"+name)), nil
	case TypeEventBus + ".Name", TypeQueue + ".QueueName", "AWS::SNS::Topic.TopicName",
		"AWS::StepFunctions::StateMachine.Name", TypeArchive + ".ArchiveName":
		return str(name), nil
	case TypeRule + ".Arn":
		bus, err := s.RuleBusName(r)
		if err != nil {
			return nil, err
		}
		if bus == "default" {
			return str(s.arn("events", "rule/"+name)), nil
		}
		return str(s.arn("events", "rule/"+bus+"/"+name)), nil
	case TypeArchive + ".Arn":
		return str(s.arn("events", "archive/"+name)), nil
	case TypeQueue + ".Arn":
		return str(s.arn("sqs", name)), nil
	case TypeQueue + ".QueueUrl":
		return s.resourceRef(r, at, path)
	case TypeFunction + ".Arn":
		return str(s.arn("lambda", "function:"+name)), nil
	case TypeLogGroup + ".Arn":
		return str(s.arn("logs", "log-group:"+name+":*")), nil
	case TypeRole + ".Arn":
		p := "/"
		if pv := r.Properties.Get("Path"); pv != nil {
			t, err := s.Text(pv, r.Path("Path"))
			if err != nil {
				return nil, err
			}
			p = t
		}
		return str("arn:" + s.Partition() + ":iam::" + s.Account + ":role" + p + name), nil
	case "AWS::SNS::Topic.TopicArn", "AWS::StepFunctions::StateMachine.Arn":
		return s.resourceRef(r, at, path)
	case "AWS::Kinesis::Stream.Arn":
		return str(s.arn("kinesis", "stream/"+name)), nil
	}
	return &Value{Kind: Opaque, Origin: r.LogicalID, Type: r.Type, Text: r.Type + " " + r.LogicalID + "." + att}, nil
}

// RuleBusName is the name of the bus a rule is on: its EventBusName (a
// name or an ARN), or "default".
func (s *Stack) RuleBusName(r *Resource) (string, error) {
	v := r.Properties.Get("EventBusName")
	if v == nil {
		return "default", nil
	}
	t, err := s.Text(v, r.Path("EventBusName"))
	if err != nil {
		return "", err
	}
	if i := strings.LastIndex(t, ":event-bus/"); i >= 0 && strings.HasPrefix(t, "arn:") {
		return t[i+len(":event-bus/"):], nil
	}
	return t, nil
}
