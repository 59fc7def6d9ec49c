package rule

// A requirement list R of a node is a set of (property, folded value) pairs
// such that whenever the node is true for an object, the object has at least
// one property value in R (a single-valued property's value, or one element
// of a multi-valued one). Set uses it to evaluate a rule only for objects
// that carry one of those values.

// req is one (property, folded value) pair.
type req struct {
	prop  string
	multi bool
	key   string
}

// nodeReqs returns the requirement list of n, or false when n can be true
// without any particular value being present (negations, -all, -ne, ...).
func nodeReqs(n node) ([]req, bool) {
	switch n := n.(type) {
	case *scalarNode:
		return keyReqs(n.prop, false, n.t)
	case *anyNode:
		if n.all { // true for an empty collection
			return nil, false
		}
		return keyReqs(n.prop, true, n.t)
	case andNode:
		// Any child's list works; the shortest means fewest index entries.
		var best []req
		found := false
		for _, k := range n {
			if r, ok := nodeReqs(k); ok && (!found || len(r) < len(best)) {
				best, found = r, true
			}
		}
		return best, found
	case orNode:
		var all []req
		for _, k := range n {
			r, ok := nodeReqs(k)
			if !ok {
				return nil, false
			}
			all = append(all, r...)
		}
		return all, true
	}
	return nil, false
}

// keyReqs lifts the keys of t to requirements on prop.
func keyReqs(prop string, multi bool, t tester) ([]req, bool) {
	keys, ok := testKeys(t)
	if !ok {
		return nil, false
	}
	out := make([]req, len(keys))
	for i, k := range keys {
		out[i] = req{prop: prop, multi: multi, key: k}
	}
	return out, true
}

// testKeys returns folded values such that t(s) implies foldString(s) is
// one of them, or false when there is no such finite list. The empty key is
// never returned: absent values are not looked up in the index.
func testKeys(t tester) ([]string, bool) {
	switch t := t.(type) {
	case *eqTest:
		if t.key == "" {
			return nil, false
		}
		return []string{t.key}, true
	case *inTest:
		for _, k := range t.keys {
			if k == "" {
				return nil, false
			}
		}
		return t.keys, true
	case andTest:
		var best []string
		found := false
		for _, k := range t {
			if r, ok := testKeys(k); ok && (!found || len(r) < len(best)) {
				best, found = r, true
			}
		}
		return best, found
	case orTest:
		var all []string
		for _, k := range t {
			r, ok := testKeys(k)
			if !ok {
				return nil, false
			}
			all = append(all, r...)
		}
		return all, true
	}
	return nil, false
}
