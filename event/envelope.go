package event

import (
	"time"
)

// Envelope is an event as EventBridge delivers it to rules and targets.
//
// An Envelope is immutable once published: the model shares one value
// between every bus, rule and target it reaches, so nothing may modify it
// after it has been handed to the backbone. Forwarding to another bus keeps
// the original Account (EventBridge preserves it across accounts).
type Envelope struct {
	// ID is the event id EventBridge assigned at ingestion (a UUID in AWS;
	// the model uses deterministic ids derived from its seed).
	ID string
	// DetailType and Source are copied from the PutEvents entry.
	DetailType string
	Source     string
	// Account is the 12-digit id of the account that published the event.
	Account string
	// Time is the event time: the entry's Time when given, otherwise the
	// time of the PutEvents call.
	Time time.Time
	// Region is where the event was published.
	Region string
	// Resources is delivered as [] when the entry had none.
	Resources []string
	// Detail is the raw JSON object from the entry.
	Detail []byte
	// ReplayName is set only on events delivered by an archive replay.
	ReplayName string
}

// TimeLayout is the layout of the envelope's time field: UTC, second
// precision, as in every AWS example.
const TimeLayout = "2006-01-02T15:04:05Z"

// AppendJSON appends the envelope's JSON encoding to dst, with AWS's field
// order: version, id, detail-type, source, account, time, region,
// [replay-name,] resources, detail.
func (e *Envelope) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"version":"0","id":`...)
	dst = AppendJSONString(dst, e.ID)
	dst = append(dst, `,"detail-type":`...)
	dst = AppendJSONString(dst, e.DetailType)
	dst = append(dst, `,"source":`...)
	dst = AppendJSONString(dst, e.Source)
	dst = append(dst, `,"account":`...)
	dst = AppendJSONString(dst, e.Account)
	dst = append(dst, `,"time":"`...)
	dst = e.Time.UTC().AppendFormat(dst, TimeLayout)
	dst = append(dst, `","region":`...)
	dst = AppendJSONString(dst, e.Region)
	if e.ReplayName != "" {
		dst = append(dst, `,"replay-name":`...)
		dst = AppendJSONString(dst, e.ReplayName)
	}
	dst = append(dst, `,"resources":[`...)
	for i, r := range e.Resources {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = AppendJSONString(dst, r)
	}
	dst = append(dst, `],"detail":`...)
	if len(e.Detail) == 0 {
		dst = append(dst, "{}"...)
	} else {
		dst = append(dst, e.Detail...)
	}
	return append(dst, '}')
}

// AppendJSONString appends s as a JSON string literal. Unlike
// strconv.AppendQuote it produces JSON escapes (\u00XX), never Go ones.
func AppendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
