package serve

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/busdrill/busdrill/pattern"
	"github.com/busdrill/busdrill/sim/backbone"
)

// Archives and replays: CreateArchive, DescribeArchive, ListArchives,
// DeleteArchive, StartReplay, DescribeReplay. The model keeps the events
// (after its archive lag) and replays them; names are per account here
// and "account/name" in the model.

var archiveNameRe = regexp.MustCompile(`^[\.\-_A-Za-z0-9]{1,48}$`)

func archiveARN(region, account, name string) string {
	return "arn:aws:events:" + region + ":" + account + ":archive/" + name
}

func replayARN(region, account, name string) string {
	return "arn:aws:events:" + region + ":" + account + ":replay/" + name
}

// Serve's bounds on archives and replays per account (AWS publishes
// none it would hit first).
const (
	MaxArchivesPerAccount = 100
	MaxReplaysPerAccount  = 1000
)

func createArchive(b *backend, c caller, in *archiveIn) (any, *apiError) {
	a := b.events.acct(c.account)
	if len(a.archives) >= MaxArchivesPerAccount {
		return nil, limitExceeded()
	}
	if !archiveNameRe.MatchString(in.ArchiveName) {
		return nil, validationf("1 validation error detected: Value '%s' at 'archiveName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+", in.ArchiveName)
	}
	if a.archives[in.ArchiveName] != nil {
		return nil, alreadyExists("Archive " + in.ArchiveName + " already exists.")
	}
	if in.RetentionDays < 0 {
		return nil, validationf("1 validation error detected: Value '%d' at 'retentionDays' failed to satisfy constraint: Member must have value greater than or equal to 0", in.RetentionDays)
	}
	_, bus, err := b.events.resolveBus(c.account, in.EventSourceArn)
	if err != nil {
		return nil, err
	}
	var p *pattern.Pattern
	if in.EventPattern != nil {
		if p, err = compilePattern(*in.EventPattern); err != nil {
			return nil, err
		}
	}
	model := a.name + "/" + in.ArchiveName
	if e := b.model.CreateArchive(model, bus.ref, p, in.RetentionDays); e != nil {
		return nil, modelError(e)
	}
	ar := &ebArchive{name: in.ArchiveName, arn: archiveARN(b.region, a.id, in.ArchiveName), source: bus.arn, description: in.Description,
		pattern: deref(in.EventPattern), state: "ENABLED", retention: in.RetentionDays, created: b.wall(), model: model, bus: bus.ref}
	a.archives[in.ArchiveName] = ar
	return map[string]any{"ArchiveArn": ar.arn, "State": ar.state, "CreationTime": epochOf(ar.created)}, nil
}

type apiArchive struct {
	ArchiveName    string     `json:"ArchiveName"`
	ArchiveArn     string     `json:"ArchiveArn,omitempty"`
	EventSourceArn string     `json:"EventSourceArn"`
	Description    string     `json:"Description,omitempty"`
	EventPattern   string     `json:"EventPattern,omitempty"`
	State          string     `json:"State"`
	RetentionDays  int        `json:"RetentionDays"`
	SizeBytes      int64      `json:"SizeBytes"`
	EventCount     int        `json:"EventCount"`
	CreationTime   *epochTime `json:"CreationTime,omitempty"`
}

func (b *backend) archiveShape(ar *ebArchive) apiArchive {
	info, _ := b.model.Archive(ar.model)
	return apiArchive{ArchiveName: ar.name, ArchiveArn: ar.arn, EventSourceArn: ar.source, Description: ar.description,
		EventPattern: ar.pattern, State: ar.state, RetentionDays: ar.retention, SizeBytes: info.SizeBytes,
		EventCount: info.EventCount, CreationTime: epochOf(ar.created)}
}

func describeArchive(b *backend, c caller, in *archiveIn) (any, *apiError) {
	a := b.events.acct(c.account)
	ar := a.archives[in.ArchiveName]
	if ar == nil {
		return nil, notFound("Archive " + in.ArchiveName + " does not exist.")
	}
	return b.archiveShape(ar), nil
}

func listArchives(b *backend, c caller, in *archiveIn) (any, *apiError) {
	a := b.events.acct(c.account)
	var all []apiArchive
	for _, name := range slices.Sorted(maps.Keys(a.archives)) {
		ar := a.archives[name]
		if strings.HasPrefix(name, in.NamePrefix) && (in.EventSourceArn == "" || in.EventSourceArn == ar.source) && (in.State == "" || in.State == ar.state) {
			s := b.archiveShape(ar)
			s.ArchiveArn, s.Description, s.EventPattern = "", "", ""
			all = append(all, s)
		}
	}
	got, next, err := page(all, in.NextToken, in.Limit, 100)
	if err != nil {
		return nil, err
	}
	if got == nil {
		got = []apiArchive{}
	}
	return struct {
		Archives  []apiArchive `json:"Archives"`
		NextToken *string      `json:"NextToken,omitempty"`
	}{got, next}, nil
}

func deleteArchive(b *backend, c caller, in *archiveIn) (any, *apiError) {
	a := b.events.acct(c.account)
	ar := a.archives[in.ArchiveName]
	if ar == nil {
		return nil, notFound("Archive " + in.ArchiveName + " does not exist.")
	}
	if err := b.model.DeleteArchive(ar.model); err != nil {
		return nil, modelError(err)
	}
	delete(a.archives, in.ArchiveName)
	delete(b.events.tags, ar.arn)
	return struct{}{}, nil
}

func startReplay(b *backend, c caller, in *replayIn) (any, *apiError) {
	a := b.events.acct(c.account)
	if len(a.replays) >= MaxReplaysPerAccount {
		return nil, limitExceeded()
	}
	if !ruleNameRe.MatchString(in.ReplayName) {
		return nil, validationf("1 validation error detected: Value '%s' at 'replayName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+", in.ReplayName)
	}
	if in.EventStartTime == nil || in.EventEndTime == nil {
		return nil, validationf("Parameters EventStartTime and EventEndTime are required.")
	}
	name := strings.TrimPrefix(in.EventSourceArn, "arn:aws:events:"+b.region+":"+a.id+":archive/")
	ar := a.archives[name]
	if ar == nil {
		return nil, notFound("Archive " + name + " does not exist.")
	}
	_, dest, err := b.events.resolveBus(c.account, in.Destination.Arn)
	if err != nil {
		return nil, err
	}
	var rules []string
	for _, f := range in.Destination.FilterArns {
		i := strings.LastIndexByte(f, '/')
		rules = append(rules, f[i+1:])
	}
	model := a.name + "/" + in.ReplayName
	if e := b.model.StartReplay(backbone.ReplaySpec{Name: model, Archive: ar.model, Destination: dest.ref,
		Start: in.EventStartTime.Time, End: in.EventEndTime.Time, Rules: rules}); e != nil {
		if be, ok := e.(*backbone.APIError); ok && be.Code == backbone.CodeResourceExists {
			return nil, alreadyExists("Replay " + in.ReplayName + " already exists.")
		}
		return nil, modelError(e)
	}
	rp := &ebReplay{name: in.ReplayName, arn: replayARN(b.region, a.id, in.ReplayName), source: ar.arn, description: in.Description,
		destination: in.Destination, start: in.EventStartTime.Time, end: in.EventEndTime.Time, started: b.wall(), model: model}
	a.replays[in.ReplayName] = rp
	return map[string]any{"ReplayArn": rp.arn, "State": backbone.ReplayStarting, "ReplayStartTime": epochOf(rp.started)}, nil
}

func describeReplay(b *backend, c caller, in *replayIn) (any, *apiError) {
	a := b.events.acct(c.account)
	rp := a.replays[in.ReplayName]
	if rp == nil {
		return nil, notFound("Replay " + in.ReplayName + " does not exist.")
	}
	info, err := b.model.DescribeReplay(rp.model)
	if err != nil {
		return nil, modelError(err)
	}
	out := map[string]any{
		"ReplayName": rp.name, "ReplayArn": rp.arn, "Description": rp.description, "State": info.State,
		"EventSourceArn": rp.source, "Destination": rp.destination, "EventStartTime": epochOf(rp.start),
		"EventEndTime": epochOf(rp.end), "ReplayStartTime": epochOf(rp.started),
	}
	if !info.EventLastReplayedTime.IsZero() {
		out["EventLastReplayedTime"] = epochOf(info.EventLastReplayedTime)
	}
	return out, nil
}
