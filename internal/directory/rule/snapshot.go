package rule

import "slices"

// current returns the compiled view of the set, rebuilding it if stale.
func (s *Set) current() *snapshot {
	if sn := s.snap.Load(); sn != nil {
		return sn
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if sn := s.snap.Load(); sn != nil {
		return sn
	}
	sn := buildSnapshot(s.rules)
	s.snap.Store(sn)
	return sn
}

// buildSnapshot ranks ids, groups rules by normal form and indexes groups.
func buildSnapshot(rules map[string]*Rule) *snapshot {
	ids := make([]string, 0, len(rules))
	for id := range rules {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	sn := &snapshot{ids: ids}
	byCanon := make(map[string]int32, len(ids))
	for rank, id := range ids {
		r := rules[id]
		gi, ok := byCanon[r.canon]
		if !ok {
			gi = int32(len(sn.groups))
			byCanon[r.canon] = gi
			sn.groups = append(sn.groups, group{n: r.root, subject: r.subject})
		}
		sn.groups[gi].ranks = append(sn.groups[gi].ranks, int32(rank))
	}
	for gi := range sn.groups {
		g := &sn.groups[gi]
		si := &sn.subjects[g.subject-1]
		reqs, ok := nodeReqs(g.n)
		if !ok {
			si.always = append(si.always, int32(gi))
			continue
		}
		for _, q := range reqs {
			si.add(q, int32(gi))
		}
	}
	return sn
}

// add indexes group gi under requirement q.
func (si *subjIndx) add(q req, gi int32) {
	if si.byName == nil {
		si.byName = make(map[string]int)
	}
	i, ok := si.byName[q.prop]
	if !ok {
		i = len(si.props)
		si.byName[q.prop] = i
		si.props = append(si.props, propIndex{name: q.prop, multi: q.multi, keys: make(map[string][]int32)})
	}
	pi := &si.props[i]
	pi.maxKey = max(pi.maxKey, len(q.key))
	list := pi.keys[q.key]
	if n := len(list); n > 0 && list[n-1] == gi {
		return // the same group twice under one key
	}
	pi.keys[q.key] = append(list, gi)
}
