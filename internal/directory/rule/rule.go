// Package rule implements the Entra ID dynamic-group membership rule
// language: a hand-written lexer and recursive-descent parser (Parse), a
// compiled evaluator (Rule.Match), and an indexed evaluator for many rules
// at once (Set).
//
// Supported syntax: comparisons `device.<prop> op value` and
// `user.<prop> op value` with -eq, -ne, -startsWith, -notStartsWith,
// -contains, -notContains, -in, -notIn, -match and -notMatch; -any and -all
// over multi-valued properties with _ as the element (parenthesised or
// shorthand); and, or, not (also -and, -or, -not) with the precedence
// not > and > or; parentheses. Keywords, operators and property names are
// case-insensitive, and so are all value comparisons (strings.EqualFold
// semantics; -match uses case-insensitive RE2).
//
// Values are double- or single-quoted strings, in which \", \' and \\ are
// escapes and any other backslash is literal (so "^\d+$" needs no doubling);
// true and false, bare or quoted, for boolean properties; null with -eq and
// -ne, which tests for an empty or absent value (an absent boolean is
// neither true nor false); and lists such as ["a", "b"] for -in and -notIn.
// -contains and -notContains applied directly to a multi-valued property ask
// whether any element contains the value; -all is true for an empty
// collection.
package rule

import (
	"slices"
	"strings"
)

// Object is what a rule is evaluated against. Names are canonical property
// names as returned by Rule.Properties (e.g. "devicePhysicalIds",
// "department"); an absent property is "" or nil.
type Object interface {
	// Attr returns a single-valued property; booleans are "true"/"false".
	Attr(name string) string
	// Multi returns a multi-valued property.
	Multi(name string) []string
}

// Attrs is a map-backed Object. Keys are canonical property names.
type Attrs struct {
	Scalars map[string]string
	Multis  map[string][]string
}

// Attr returns a.Scalars[name].
func (a Attrs) Attr(name string) string { return a.Scalars[name] }

// Multi returns a.Multis[name].
func (a Attrs) Multi(name string) []string { return a.Multis[name] }

// emptyObject stands in for a nil Object.
var emptyObject Object = Attrs{}

// Rule is a compiled membership rule. It is immutable and safe for
// concurrent use.
type Rule struct {
	text    string
	subject Subject
	root    node
	props   []string
	canon   string // normal form including the subject; see node.canon
}

// newRule assembles a Rule from parser output.
func newRule(text string, subject Subject, root node, props []string) *Rule {
	props = slices.Clone(props)
	slices.Sort(props)
	props = slices.Compact(props)
	var b strings.Builder
	b.WriteString(subjectName(subject) + ":")
	root.canon(&b)
	return &Rule{text: text, subject: subject, root: root, props: props, canon: b.String()}
}

// Subject reports whether the rule is about devices or users.
func (r *Rule) Subject() Subject { return r.subject }

// String returns the rule text exactly as given to Parse.
func (r *Rule) String() string { return r.text }

// Properties returns the canonical names of the properties the rule
// refers to, sorted and without duplicates. The caller may modify the slice.
func (r *Rule) Properties() []string { return slices.Clone(r.props) }

// Match reports whether o satisfies the rule. A nil o is treated as an
// object with no properties; a nil or zero Rule matches nothing.
func (r *Rule) Match(o Object) bool {
	if r == nil || r.root == nil {
		return false
	}
	if o == nil {
		o = emptyObject
	}
	return r.root.eval(o)
}
