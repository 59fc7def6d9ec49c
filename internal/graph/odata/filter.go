package odata

import (
	"sort"
	"strings"
)

// Filter is a parsed, type-checked and compiled $filter expression. It is
// immutable and safe for concurrent use. A nil *Filter matches everything.
type Filter struct {
	root  node
	pred  predFn
	nvars int
	text  string
	props []string
}

// ParseFilter parses a $filter expression against schema. Property names
// are matched ignoring case and replaced by their canonical spelling from
// the schema. Empty or blank text is an error (callers treat an absent
// $filter as a nil *Filter). Errors are *Error values with Option
// "$filter". Expressions nested deeper than MaxFilterDepth are rejected;
// limiting the length of text is left to the caller.
//
// Precedence, loosest first: or, and, not, comparisons (eq ne gt ge lt le
// in). "not" binds looser than comparisons, so "not a eq 'x'" means
// "not (a eq 'x')". Evaluation is two-valued: a comparison involving an
// absent or null value (other than with the null literal) is false, "ne"
// is the negation of "eq", and "not" of a false comparison is true. any()
// over an absent collection is false and all() is true.
func ParseFilter(text string, schema Schema) (*Filter, error) {
	root, nvars, err := parse(text, schema)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	render(&b, root, 0)
	f := &Filter{root: root, pred: compilePred(root), nvars: nvars, text: b.String()}
	f.props = collectProps(root, map[string]bool{})
	return f, nil
}

// Match reports whether e satisfies the filter. A nil Filter matches every
// entity; a nil Entity behaves as one with no properties.
func (f *Filter) Match(e Entity) bool {
	if f == nil {
		return true
	}
	if e == nil {
		e = MapEntity(nil)
	}
	var vars []string
	if f.nvars > 0 {
		vars = make([]string, f.nvars)
	}
	return f.pred(e, vars)
}

// String returns the canonical form of the filter: lower-case keywords and
// functions, canonical property names, normalised literals and minimal
// parentheses. Parsing it again yields an equivalent Filter with the same
// String. A nil Filter returns "".
func (f *Filter) String() string {
	if f == nil {
		return ""
	}
	return f.text
}

// Properties returns the sorted canonical paths of the schema properties
// the filter references; nil for a nil Filter or one using no properties.
// Callers may use it to decide which fields to load.
func (f *Filter) Properties() []string {
	if f == nil {
		return nil
	}
	return append([]string(nil), f.props...)
}

// collectProps gathers property paths referenced below n.
func collectProps(n node, seen map[string]bool) []string {
	var walk func(node)
	walk = func(n node) {
		switch n := n.(type) {
		case *propNode:
			seen[n.path] = true
		case *cmpNode:
			walk(n.l)
			walk(n.r)
		case *inNode:
			walk(n.l)
		case *logicNode:
			for _, a := range n.args {
				walk(a)
			}
		case *notNode:
			walk(n.x)
		case *callNode:
			for _, a := range n.args {
				walk(a)
			}
		case *lambdaNode:
			seen[n.coll.path] = true
			if n.body != nil {
				walk(n.body)
			}
		}
	}
	walk(n)
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
