package lint

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"
)

// SARIF 2.1.0 (OASIS), the subset code-scanning UIs read: one run whose
// tool driver lists every check as a rule, and one result per finding
// with its level, message (the fix included), the template or scenario
// line as physical location and the topology reference (or ARN) as
// logical location.

const sarifSchema = "https://json.schemastore.org/sarif-2.1.0.json"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	Name                 string       `json:"name"`
	ShortDescription     sarifMessage `json:"shortDescription"`
	DefaultConfiguration struct {
		Level string `json:"level"`
	} `json:"defaultConfiguration"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation struct {
		URI string `json:"uri"`
	} `json:"artifactLocation"`
	Region *sarifRegion `json:"region,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifLogical struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// WriteSARIF writes the report as a SARIF 2.1.0 log; version is busdrill's.
func (r *Report) WriteSARIF(w io.Writer, version string) error {
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{
		Name: "busdrill topology lint", InformationURI: "https://github.com/busdrill/busdrill", Version: version,
	}}, Results: []sarifResult{}}
	for _, c := range Checks {
		rule := sarifRule{ID: c.ID, Name: ruleName(c.ID), ShortDescription: sarifMessage{c.Summary}}
		rule.DefaultConfiguration.Level = c.Default.String()
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, rule)
	}
	for _, f := range r.Findings {
		res := sarifResult{
			RuleID: f.Check, RuleIndex: checkIndex(f.Check), Level: f.Severity.String(),
			Message:             sarifMessage{f.Message + " Fix: " + f.Fix},
			PartialFingerprints: map[string]string{"busdrillFinding/v1": f.Check + ":" + f.Resource + ":" + f.Path},
		}
		loc := sarifLocation{}
		if file := f.Where.File; file != "" && !strings.Contains(file, ":") {
			p := &sarifPhysical{}
			p.ArtifactLocation.URI = (&url.URL{Path: filepath.ToSlash(file)}).String()
			if f.Where.Line > 0 {
				p.Region = &sarifRegion{StartLine: f.Where.Line, StartColumn: f.Where.Col}
			}
			loc.PhysicalLocation = p
		}
		if f.Resource != "" || f.Where.ARN != "" {
			fq := f.Resource
			if f.Where.ARN != "" {
				fq = f.Where.ARN
			}
			loc.LogicalLocations = []sarifLogical{{Name: f.Resource, FullyQualifiedName: fq, Kind: "resource"}}
		}
		res.Locations = []sarifLocation{loc}
		run.Results = append(run.Results, res)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

// ruleName turns "self-delivery" into "SelfDelivery", SARIF's style for
// rule names.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}
