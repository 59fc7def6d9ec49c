package odata

// Equals reports whether every entity the filter matches must have path
// equal (ignoring case) to a constant, and returns it: a top-level
// `path eq 'v'`, possibly inside an `and`. Callers use it to fetch the
// candidates by index and still apply the whole filter to them.
func (f *Filter) Equals(path string) (string, bool) {
	if f == nil {
		return "", false
	}
	return hint(f.root, path, func(n node) (string, bool) {
		c, ok := n.(*cmpNode)
		if !ok || c.op != opEq {
			return "", false
		}
		return propLiteral(c.l, c.r, path)
	})
}

// Contains reports whether every matched entity must contain a constant in
// path: a top-level `contains(path, 'v')`, possibly inside an `and`.
func (f *Filter) Contains(path string) (string, bool) {
	if f == nil {
		return "", false
	}
	return hint(f.root, path, func(n node) (string, bool) {
		c, ok := n.(*callNode)
		if !ok || c.fn != "contains" || len(c.args) != 2 {
			return "", false
		}
		p, ok := c.args[0].(*propNode)
		if !ok || p.path != path {
			return "", false
		}
		l, ok := c.args[1].(*litNode)
		if !ok {
			return "", false
		}
		s, ok := l.val.(string)
		return s, ok
	})
}

// hint applies leaf to n, or to each argument of a top-level and.
func hint(n node, path string, leaf func(node) (string, bool)) (string, bool) {
	if v, ok := leaf(n); ok {
		return v, true
	}
	if l, ok := n.(*logicNode); ok && !l.or {
		for _, a := range l.args {
			if v, ok := hint(a, path, leaf); ok {
				return v, true
			}
		}
	}
	return "", false
}

func propLiteral(a, b node, path string) (string, bool) {
	if p, ok := a.(*propNode); ok && p.path == path {
		if l, ok := b.(*litNode); ok {
			s, ok := l.val.(string)
			return s, ok
		}
	}
	if p, ok := b.(*propNode); ok && p.path == path {
		if l, ok := a.(*litNode); ok {
			s, ok := l.val.(string)
			return s, ok
		}
	}
	return "", false
}
