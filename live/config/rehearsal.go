package config

import (
	"net"
	"net/url"
	"strings"

	"github.com/busdrill/busdrill/scenarios/livespec"
	"github.com/busdrill/busdrill/topology"
)

// RehearsalRole is the role a rehearsal assumes in every scenario account.
const RehearsalRole = "busdrill"

// Rehearsal is the live section of a rehearsal against a local emulator
// (busdrill serve) when the scenario has none: every scenario account is
// its own scenario id, reached by assuming
// arn:aws:iam::ID:role/busdrill (serve issues credentials that act as ID),
// in the scenario's Region; the allowlist is exactly the scenario's ids.
func Rehearsal(t *topology.Topology) *livespec.Config {
	c := &livespec.Config{Region: t.RegionOrDefault(), Accounts: livespec.Accounts{}}
	for _, a := range t.Accounts {
		c.Accounts[a.Name] = livespec.Account{ID: a.ID, RoleARN: topology.RoleARN(a.ID, RehearsalRole)}
		c.AllowedAccounts = append(c.AllowedAccounts, a.ID)
	}
	return c
}

// LoopbackEndpoint reports whether an endpoint URL is on this machine
// (127.0.0.0/8, ::1, localhost): the only place a rehearsal without a
// live section is allowed to go.
func LoopbackEndpoint(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
