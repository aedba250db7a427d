package serve

import (
	"maps"
	"slices"
)

// Tags: TagResource, UntagResource, ListTagsForResource, on event buses,
// rules and archives, by ARN.

// MaxTagsPerResource is AWS's limit of tags on a resource.
const MaxTagsPerResource = 50

func (e *events) setTags(arn string, tags []apiTag) {
	m := e.tags[arn]
	if m == nil {
		m = map[string]string{}
		e.tags[arn] = m
	}
	for _, t := range tags {
		m[t.Key] = t.Value
	}
}

// exists reports whether arn names a bus, rule or archive of the caller.
func (e *events) exists(caller, arn string) bool {
	a := e.acct(caller)
	for _, bn := range slices.Sorted(maps.Keys(a.buses)) {
		bus := a.buses[bn]
		if bus.arn == arn {
			return true
		}
		for _, r := range bus.rules {
			if r.Arn == arn {
				return true
			}
		}
	}
	for _, ar := range a.archives {
		if ar.arn == arn {
			return true
		}
	}
	return false
}

func tagResource(b *backend, c caller, in *tagsIn) (any, *apiError) {
	if !b.events.exists(c.account, in.ResourceARN) {
		return nil, notFound("Resource " + in.ResourceARN + " does not exist.")
	}
	if len(b.events.tags[in.ResourceARN])+len(in.Tags) > MaxTagsPerResource {
		return nil, limitExceeded()
	}
	b.events.setTags(in.ResourceARN, in.Tags)
	return struct{}{}, nil
}

func untagResource(b *backend, c caller, in *tagsIn) (any, *apiError) {
	if !b.events.exists(c.account, in.ResourceARN) {
		return nil, notFound("Resource " + in.ResourceARN + " does not exist.")
	}
	for _, k := range in.TagKeys {
		delete(b.events.tags[in.ResourceARN], k)
	}
	return struct{}{}, nil
}

func listTagsForResource(b *backend, c caller, in *tagsIn) (any, *apiError) {
	if !b.events.exists(c.account, in.ResourceARN) {
		return nil, notFound("Resource " + in.ResourceARN + " does not exist.")
	}
	m := b.events.tags[in.ResourceARN]
	out := []apiTag{}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, apiTag{Key: k, Value: m[k]})
	}
	return map[string][]apiTag{"Tags": out}, nil
}
