package config

import (
	"testing"

	"github.com/busdrill/busdrill/topology"
)

func TestRehearsal(t *testing.T) {
	tp := &topology.Topology{Region: "eu-west-1", Accounts: []topology.Account{{Name: "bus", ID: "111111111111"}, {Name: "orders", ID: "222222222222"}}}
	c := Rehearsal(tp)
	if errs := c.Validate(); len(errs) > 0 {
		t.Fatal(errs)
	}
	if err := c.CheckScenario(tp); err != nil {
		t.Fatal(err)
	}
	if c.Region != "eu-west-1" || c.Accounts["orders"].RoleARN != "arn:aws:iam::222222222222:role/busdrill" {
		t.Fatalf("%+v", c)
	}
}

func TestLoopbackEndpoint(t *testing.T) {
	for url, want := range map[string]bool{
		"http://127.0.0.1:4566": true, "http://localhost:4566": true, "http://[::1]:4566": true, "http://127.9.9.9": true,
		"http://10.0.0.1:4566": false, "https://events.eu-west-1.amazonaws.com": false, "": false, "::nonsense": false,
	} {
		if got := LoopbackEndpoint(url); got != want {
			t.Errorf("%q: %v, want %v", url, got, want)
		}
	}
}
