package rule

import (
	"fmt"
	"strings"
)

// maxDepth bounds nesting of parentheses and not, so that hostile input
// cannot exhaust the stack.
const maxDepth = 100

// parser is a recursive-descent parser over the token slice.
//
//	or      = and { ("or" | "-or") and }
//	and     = not { ("and" | "-and") not }
//	not     = ("not" | "-not") not | primary
//	primary = "(" or ")" | leaf
//	leaf    = property op value            (top level)
//	        | property (-any | -all) not   (body uses the element grammar)
//	        | "_" op value                 (element grammar, inside -any/-all)
type parser struct {
	toks    []token
	pos     int
	depth   int
	subject Subject
	first   string   // first property as written, for mixed-subject errors
	props   []string // canonical names in order of appearance
	anyOp   string   // -any or -all while parsing its body
}

// grammar supplies the leaf parser and constructors for one level of the
// language: whole-object expressions (node) or element expressions (tester).
type grammar[T any] struct {
	leaf func() (T, error)
	and  func([]T) T
	or   func([]T) T
	not  func(T) T
}

func (p *parser) peek() token { return p.toks[p.pos] }

// next consumes a token; the final tEOF/tErr token is never passed.
func (p *parser) next() token {
	t := p.toks[p.pos]
	if p.pos < len(p.toks)-1 {
		p.pos++
	}
	return t
}

// isKeyword reports whether the next token is the logical keyword kw,
// bare or with a leading dash.
func (p *parser) isKeyword(kw string) bool {
	t := p.peek()
	return (t.kind == tWord || t.kind == tOp) && strings.EqualFold(t.val, kw)
}

// unexpected reports that t was found where expected was needed. A lexical
// error token reports its own error instead.
func (p *parser) unexpected(t token, expected string) error {
	if t.kind == tErr && t.err != nil {
		return t.err
	}
	return errorf(t.col, "expected %s, found %s", expected, describe(t))
}

// enter guards recursion depth at token t.
func (p *parser) enter(t token) error {
	p.depth++
	if p.depth > maxDepth {
		return errorf(t.col, "expected at most %d levels of parentheses and not, found more", maxDepth)
	}
	return nil
}

func parseOr[T any](p *parser, g *grammar[T]) (T, error) {
	x, err := parseAnd(p, g)
	if err != nil || !p.isKeyword("or") {
		return x, err
	}
	kids := []T{x}
	for p.isKeyword("or") {
		p.next()
		y, err := parseAnd(p, g)
		if err != nil {
			return y, err
		}
		kids = append(kids, y)
	}
	return g.or(kids), nil
}

func parseAnd[T any](p *parser, g *grammar[T]) (T, error) {
	x, err := parseNot(p, g)
	if err != nil || !p.isKeyword("and") {
		return x, err
	}
	kids := []T{x}
	for p.isKeyword("and") {
		p.next()
		y, err := parseNot(p, g)
		if err != nil {
			return y, err
		}
		kids = append(kids, y)
	}
	return g.and(kids), nil
}

func parseNot[T any](p *parser, g *grammar[T]) (T, error) {
	var zero T
	if !p.isKeyword("not") {
		return parsePrimary(p, g)
	}
	if err := p.enter(p.next()); err != nil {
		return zero, err
	}
	x, err := parseNot(p, g)
	p.depth--
	if err != nil {
		return zero, err
	}
	return g.not(x), nil
}

func parsePrimary[T any](p *parser, g *grammar[T]) (T, error) {
	var zero T
	open := p.peek()
	if open.kind != tLParen {
		return g.leaf()
	}
	p.next()
	if err := p.enter(open); err != nil {
		return zero, err
	}
	x, err := parseOr(p, g)
	p.depth--
	if err != nil {
		return zero, err
	}
	if t := p.next(); t.kind != tRParen {
		return zero, p.unexpected(t, fmt.Sprintf("and, or or \")\" to close the \"(\" at column %d", open.col))
	}
	return x, nil
}

// Parse compiles a membership rule. Errors are *SyntaxError values.
func Parse(text string) (*Rule, error) {
	p := &parser{toks: lex(text)}
	top := &grammar[node]{
		leaf: p.parseComparison,
		and:  func(k []node) node { return andNode(k) },
		or:   func(k []node) node { return orNode(k) },
		not:  func(x node) node { return &notNode{x} },
	}
	root, err := parseOr(p, top)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, p.unexpected(t, "and, or or end of rule")
	}
	return newRule(text, p.subject, root, p.props), nil
}

// parseComparison parses `property op value` or `property -any body`.
func (p *parser) parseComparison() (node, error) {
	pt := p.next()
	if pt.kind != tWord || pt.val == "_" {
		exp := "a property such as device.displayName or user.department"
		if pt.kind == tWord { // the word is _
			exp += " (_ is only allowed inside -any or -all)"
		}
		return nil, p.unexpected(pt, exp)
	}
	info, err := p.property(pt)
	if err != nil {
		return nil, err
	}
	ot := p.next()
	o, err := p.operator(ot, pt.raw)
	if err != nil {
		return nil, err
	}
	switch info.kind {
	case kindMulti:
		return p.multiComparison(info, pt, ot, o)
	case kindBool:
		if o != opEq && o != opNe {
			return nil, errorf(ot.col, "expected -eq or -ne after boolean %s, found %s", pt.raw, ot.raw)
		}
		key, err := p.boolValue(o)
		if err != nil {
			return nil, err
		}
		return &scalarNode{info.name, negate(o == opNe, &eqTest{key})}, nil
	}
	if o == opAny || o == opAll {
		return nil, errorf(ot.col, "expected an operator such as -eq after single-valued %s, found %s (it needs a multi-valued property)", pt.raw, ot.raw)
	}
	t, err := p.stringTest(o, true)
	if err != nil {
		return nil, err
	}
	return &scalarNode{info.name, t}, nil
}

// multiComparison handles the operators of a multi-valued property.
func (p *parser) multiComparison(info propInfo, pt, ot token, o op) (node, error) {
	switch o {
	case opAny, opAll:
		body, err := p.elementBody(o)
		if err != nil {
			return nil, err
		}
		return &anyNode{prop: info.name, t: body, all: o == opAll}, nil
	case opContains, opNotContains:
		key, err := p.quoted(o)
		if err != nil {
			return nil, err
		}
		var n node = &anyNode{prop: info.name, t: &containsTest{key}}
		if o == opNotContains {
			n = &notNode{n}
		}
		return n, nil
	}
	return nil, errorf(ot.col, "expected -any, -all, -contains or -notContains after multi-valued %s, found %s (write -any (_ %s ...))", pt.raw, ot.raw, ot.raw)
}

// elementBody parses what follows -any / -all: a parenthesised element
// expression, or the shorthand `_ op value`.
func (p *parser) elementBody(o op) (tester, error) {
	t := p.peek()
	if t.kind != tLParen && !(t.kind == tWord && t.val == "_") && !p.isKeyword("not") {
		return nil, p.unexpected(t, "\"(\" or _ after "+opNames[o])
	}
	p.anyOp = opNames[o]
	g := &grammar[tester]{
		leaf: p.parseElement,
		and:  func(k []tester) tester { return andTest(k) },
		or:   func(k []tester) tester { return orTest(k) },
		not:  func(x tester) tester { return &notTest{x} },
	}
	return parseNot(p, g)
}

// parseElement parses `_ op value` inside -any / -all.
func (p *parser) parseElement() (tester, error) {
	t := p.next()
	if t.kind != tWord || t.val != "_" {
		return nil, p.unexpected(t, "_ (the current element) inside "+p.anyOp)
	}
	ot := p.next()
	o, err := p.operator(ot, "_")
	if err != nil {
		return nil, err
	}
	if o == opAny || o == opAll {
		return nil, errorf(ot.col, "expected an operator such as -eq after _, found %s (-any and -all cannot be nested)", ot.raw)
	}
	return p.stringTest(o, false)
}

// property resolves a property token and checks the rule's subject.
func (p *parser) property(t token) (propInfo, error) {
	subj, info, expected := lookupProp(t.val)
	if expected != "" {
		return info, errorf(t.col, "expected %s, found %s", expected, describe(t))
	}
	if p.subject == 0 {
		p.subject, p.first = subj, t.raw
	} else if subj != p.subject {
		return info, errorf(t.col, "expected a %s property like %s (a rule cannot mix device and user properties), found %s",
			subjectName(p.subject), p.first, describe(t))
	}
	p.props = append(p.props, info.name)
	return info, nil
}

// operator resolves an operator token following what.
func (p *parser) operator(t token, what string) (op, error) {
	if t.kind != tOp {
		return 0, p.unexpected(t, "an operator such as -eq after "+what)
	}
	o, ok := opLookup[strings.ToLower(t.val)]
	if !ok {
		return 0, errorf(t.col, "expected an operator such as -eq after %s, found %s", what, describe(t))
	}
	return o, nil
}
