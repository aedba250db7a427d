package cfn

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzTemplate: the template reader and the evaluator never panic or run
// away on any input; every refusal is an ErrInvalid error. Seeds: the
// templates of testdata and the expressions of the unit tests.
func FuzzTemplate(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*/*.template.*")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(evalTemplate))
	f.Add([]byte(`{"Resources":{"R":{"Type":"AWS::Events::Rule","Properties":{"EventPattern":{"source":[{"Fn::Sub":"${AWS::Region}"}]}}}}}`))
	f.Add([]byte("Resources:\n  A: &a {Type: AWS::SQS::Queue, Properties: {QueueName: !Join ['', [*a]]}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tpl, err := Parse("fuzz.yaml", data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("refusal %v is not ErrInvalid", err)
			}
			return
		}
		s := &Stack{T: tpl, Name: "Fuzz", Account: "111111111111", Region: "us-east-1"}
		for _, r := range tpl.Resources {
			s.Exists(r)
			s.PhysicalName(r)
			if r.Properties != nil {
				if v, err := s.Eval(r.Properties, r.Path("")); err == nil {
					v.JSON()
				}
			}
		}
		if tpl.Outputs != nil {
			s.Eval(tpl.Outputs, "Outputs")
		}
	})
}
