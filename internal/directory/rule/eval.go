package rule

import (
	"regexp"
	"strconv"
	"strings"
)

// node is a compiled boolean expression over an Object.
type node interface {
	eval(o Object) bool
	// canon writes an unambiguous normal form: two nodes with the same
	// form give the same answer for every object.
	canon(b *strings.Builder)
}

// tester is a compiled boolean expression over one string value: a scalar
// property's value or the current element (_) of -any / -all.
type tester interface {
	test(s string) bool
	canon(b *strings.Builder)
}

type (
	andNode []node
	orNode  []node
	notNode struct{ x node }
	// scalarNode applies t to a single-valued property.
	scalarNode struct {
		prop string
		t    tester
	}
	// anyNode applies t to the elements of a multi-valued property.
	anyNode struct {
		prop string
		t    tester
		all  bool
	}
)

func (n andNode) eval(o Object) bool {
	for _, k := range n {
		if !k.eval(o) {
			return false
		}
	}
	return true
}

func (n orNode) eval(o Object) bool {
	for _, k := range n {
		if k.eval(o) {
			return true
		}
	}
	return false
}

func (n *notNode) eval(o Object) bool    { return !n.x.eval(o) }
func (n *scalarNode) eval(o Object) bool { return n.t.test(o.Attr(n.prop)) }

func (n *anyNode) eval(o Object) bool {
	vals := o.Multi(n.prop)
	if n.all {
		for _, v := range vals {
			if !n.t.test(v) {
				return false
			}
		}
		return true
	}
	for _, v := range vals {
		if n.t.test(v) {
			return true
		}
	}
	return false
}

func (n andNode) canon(b *strings.Builder) { canonList(b, "and", n) }
func (n orNode) canon(b *strings.Builder)  { canonList(b, "or", n) }
func (n *notNode) canon(b *strings.Builder) {
	b.WriteString("(not ")
	n.x.canon(b)
	b.WriteByte(')')
}

func (n *scalarNode) canon(b *strings.Builder) {
	b.WriteString("(prop " + n.prop + " ")
	n.t.canon(b)
	b.WriteByte(')')
}

func (n *anyNode) canon(b *strings.Builder) {
	op := "(any "
	if n.all {
		op = "(all "
	}
	b.WriteString(op + n.prop + " ")
	n.t.canon(b)
	b.WriteByte(')')
}

type (
	andTest []tester
	orTest  []tester
	notTest struct{ t tester }
	// eqTest, prefixTest and containsTest hold folded literals (see fold.go).
	eqTest       struct{ key string }
	prefixTest   struct{ key string }
	containsTest struct{ key string }
	inTest       struct{ keys []string }
	matchTest    struct {
		re  *regexp.Regexp
		src string
	}
)

func (t andTest) test(s string) bool {
	for _, k := range t {
		if !k.test(s) {
			return false
		}
	}
	return true
}

func (t orTest) test(s string) bool {
	for _, k := range t {
		if k.test(s) {
			return true
		}
	}
	return false
}

func (t *notTest) test(s string) bool      { return !t.t.test(s) }
func (t *eqTest) test(s string) bool       { return equalKey(s, t.key) }
func (t *prefixTest) test(s string) bool   { return hasPrefixKey(s, t.key) }
func (t *containsTest) test(s string) bool { return containsKey(s, t.key) }
func (t *matchTest) test(s string) bool    { return t.re.MatchString(s) }

func (t *inTest) test(s string) bool {
	for _, k := range t.keys {
		if equalKey(s, k) {
			return true
		}
	}
	return false
}

func (t andTest) canon(b *strings.Builder) { canonList(b, "and", t) }
func (t orTest) canon(b *strings.Builder)  { canonList(b, "or", t) }
func (t *notTest) canon(b *strings.Builder) {
	b.WriteString("(not ")
	t.t.canon(b)
	b.WriteByte(')')
}
func (t *eqTest) canon(b *strings.Builder)       { canonLeaf(b, "eq", t.key) }
func (t *prefixTest) canon(b *strings.Builder)   { canonLeaf(b, "prefix", t.key) }
func (t *containsTest) canon(b *strings.Builder) { canonLeaf(b, "contains", t.key) }
func (t *matchTest) canon(b *strings.Builder)    { canonLeaf(b, "match", t.src) }

func canonLeaf(b *strings.Builder, op, s string) {
	b.WriteString("(" + op + " " + strconv.Quote(s) + ")")
}

func (t *inTest) canon(b *strings.Builder) {
	b.WriteString("(in")
	for _, k := range t.keys {
		b.WriteString(" " + strconv.Quote(k))
	}
	b.WriteByte(')')
}

func canonList[T interface{ canon(*strings.Builder) }](b *strings.Builder, op string, kids []T) {
	b.WriteString("(" + op)
	for _, k := range kids {
		b.WriteByte(' ')
		k.canon(b)
	}
	b.WriteByte(')')
}
