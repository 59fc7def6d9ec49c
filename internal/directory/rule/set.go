package rule

import (
	"math/bits"
	"sync"
	"sync/atomic"
)

// Set evaluates many rules against one object quickly and gives exactly
// the same answers as calling Match on each rule.
//
// Rules are grouped by normal form, so identical rules (for example many
// groups using `device.devicePhysicalIds -any _ -startsWith "[ZTDId]"`) are
// evaluated once per object. A group whose truth requires an exact
// case-insensitive value of some property (`-eq`, `-in`, inside -any, and
// through and/or) is indexed by that folded value, and is evaluated only for
// objects carrying one of its values; all other groups are always
// evaluated.
//
// A Set is safe for concurrent use. Put and Delete are cheap; the index is
// rebuilt, in O(n log n), by the first Match after a change, so batch
// changes before matching.
type Set struct {
	mu    sync.Mutex
	rules map[string]*Rule
	snap  atomic.Pointer[snapshot] // nil after a change
}

// snapshot is an immutable compiled view of the rules.
type snapshot struct {
	ids      []string    // sorted; a rule's rank is its position here
	groups   []group     // rules with the same normal form
	subjects [2]subjIndx // by Subject-1
}

// group is one distinct rule and the ranks of the ids using it.
type group struct {
	n       node
	subject Subject
	ranks   []int32
}

// subjIndx holds the groups of one subject.
type subjIndx struct {
	always []int32     // groups evaluated for every object
	props  []propIndex // indexed groups, by property
	byName map[string]int
}

// propIndex maps folded values of one property to the groups requiring them.
type propIndex struct {
	name   string
	multi  bool
	maxKey int // longest key in bytes; longer values cannot match
	keys   map[string][]int32
}

// NewSet returns an empty Set. The zero Set is also ready to use.
func NewSet() *Set { return &Set{rules: make(map[string]*Rule)} }

// Put adds r under id, replacing any rule already there. A nil r deletes id.
func (s *Set) Put(id string, r *Rule) {
	if r == nil || r.root == nil {
		s.Delete(id)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rules == nil {
		s.rules = make(map[string]*Rule)
	}
	s.rules[id] = r
	s.snap.Store(nil)
}

// Delete removes the rule stored under id, if any.
func (s *Set) Delete(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.rules[id]; ok {
		delete(s.rules, id)
		s.snap.Store(nil)
	}
}

// Len returns the number of rules in the set.
func (s *Set) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.rules)
}

// Match returns the ids, sorted, of the rules about subject that o
// satisfies, or nil if none does. A nil o is an object with no properties.
func (s *Set) Match(o Object, subject Subject) []string {
	if subject != SubjectDevice && subject != SubjectUser {
		return nil
	}
	sn := s.current()
	si := &sn.subjects[subject-1]
	if len(si.always) == 0 && len(si.props) == 0 {
		return nil
	}
	if o == nil {
		o = emptyObject
	}
	sc := scratchPool.Get().(*scratch)
	sc.hits = zeroed(sc.hits, (len(sn.ids)+63)/64)
	sc.seen = zeroed(sc.seen, (len(sn.groups)+63)/64)
	sc.n = 0
	for _, g := range si.always {
		sn.run(g, o, sc)
	}
	for i := range si.props {
		pi := &si.props[i]
		if pi.multi {
			for _, v := range o.Multi(pi.name) {
				sn.probe(pi, v, o, sc)
			}
		} else if v := o.Attr(pi.name); v != "" {
			sn.probe(pi, v, o, sc)
		}
	}
	var out []string
	if sc.n > 0 {
		out = make([]string, 0, sc.n)
		for w, word := range sc.hits {
			for ; word != 0; word &= word - 1 {
				out = append(out, sn.ids[w*64+bits.TrailingZeros64(word)])
			}
		}
	}
	scratchPool.Put(sc)
	return out
}

// scratch is per-call working memory, pooled so Match does not allocate.
type scratch struct {
	hits []uint64 // matching rule ranks
	seen []uint64 // groups already evaluated
	n    int      // number of bits set in hits
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// zeroed returns b resized to n words, all zero.
func zeroed(b []uint64, n int) []uint64 {
	if cap(b) < n {
		return make([]uint64, n)
	}
	b = b[:n]
	clear(b)
	return b
}

// probe evaluates the not yet evaluated groups indexed under value v.
func (sn *snapshot) probe(pi *propIndex, v string, o Object, sc *scratch) {
	var buf [128]byte
	key, ok := appendFold(buf[:0], v, pi.maxKey)
	if !ok {
		return
	}
	for _, g := range pi.keys[string(key)] {
		if sc.seen[g>>6]&(1<<(g&63)) != 0 {
			continue
		}
		sc.seen[g>>6] |= 1 << (g & 63)
		sn.run(g, o, sc)
	}
}

// run evaluates group g and records its rules if it matches.
func (sn *snapshot) run(g int32, o Object, sc *scratch) {
	grp := &sn.groups[g]
	if !grp.n.eval(o) {
		return
	}
	for _, r := range grp.ranks {
		sc.hits[r>>6] |= 1 << (r & 63)
	}
	sc.n += len(grp.ranks)
}
