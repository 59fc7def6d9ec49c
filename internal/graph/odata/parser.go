package odata

import "strings"

// MaxFilterDepth is the deepest nesting of parentheses, function calls,
// lambdas and operators a $filter may use.
const MaxFilterDepth = 100

// Binding powers of the infix operators (higher binds tighter). "not" binds
// looser than comparisons, so "not a eq b" means "not (a eq b)".
const (
	bpOr  = 10
	bpAnd = 20
	bpCmp = 30
)

// parser is a Pratt parser over the tokens of one $filter expression.
type parser struct {
	src    string
	toks   []token
	i      int
	schema Schema
	depth  int
	vars   []string // lambda variables in scope, innermost last
	nvars  int      // most lambda variables ever in scope at once
}

// parse parses and type-checks a complete $filter expression.
func parse(src string, schema Schema) (node, int, *Error) {
	toks, err := lex(src)
	if err != nil {
		return nil, 0, err
	}
	p := &parser{src: src, toks: toks, schema: schema}
	n, err := p.expr(0)
	if err != nil {
		return nil, 0, err
	}
	if t := p.peek(); t.kind != tkEOF {
		return nil, 0, p.errf(t.pos, "expected an operator or end of input but found %s", t.found())
	}
	if n.kind() != Bool {
		return nil, 0, p.errf(n.at(), "expected a Boolean expression but found %s", describe(n))
	}
	return n, p.nvars, nil
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tkEOF {
		p.i++
	}
	return t
}

func (p *parser) errf(off int, format string, args ...any) *Error {
	return errAt("$filter", p.src, off, format, args...)
}

// expect consumes a token of kind k, or reports that want was expected.
func (p *parser) expect(k tokKind, want string) (token, *Error) {
	t := p.next()
	if t.kind != k {
		return t, p.errf(t.pos, "expected %s but found %s", want, t.found())
	}
	return t, nil
}

// infixOf returns the binding power and lower-case name of an infix
// operator token, or 0 when t is not one.
func infixOf(t token) (int, string) {
	if t.kind != tkIdent || len(t.text) > 3 {
		return 0, ""
	}
	op := strings.ToLower(t.text)
	switch op {
	case "or":
		return bpOr, op
	case "and":
		return bpAnd, op
	case "eq", "ne", "gt", "ge", "lt", "le", "in":
		return bpCmp, op
	}
	return 0, ""
}

// isReserved reports whether t is an operator word that cannot start an
// operand.
func isReserved(t token) bool {
	bp, _ := infixOf(t)
	return bp != 0
}

// expr parses an expression whose infix operators bind at least min.
func (p *parser) expr(min int) (node, *Error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > MaxFilterDepth {
		return nil, p.errf(p.peek().pos, "expected at most %d levels of nesting but found more", MaxFilterDepth)
	}
	left, err := p.prefix()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		bp, op := infixOf(t)
		if bp == 0 || bp < min {
			return left, nil
		}
		p.next()
		switch op {
		case "in":
			left, err = p.parseIn(t, left)
		case "and", "or":
			var right node
			if right, err = p.expr(bp + 1); err == nil {
				left, err = p.makeLogic(t, op == "or", left, right)
			}
		default:
			var right node
			if right, err = p.expr(bp + 1); err == nil {
				left, err = p.makeCompare(t, op, left, right)
			}
		}
		if err != nil {
			return nil, err
		}
	}
}

// prefix parses "not x" or a primary expression.
func (p *parser) prefix() (node, *Error) {
	t := p.peek()
	if !t.is("not") {
		return p.primary()
	}
	p.next()
	x, err := p.expr(bpCmp)
	if err != nil {
		return nil, err
	}
	if x.kind() != Bool {
		return nil, p.errf(x.at(), "expected a Boolean operand for 'not' but found %s", describe(x))
	}
	return &notNode{pos: t.pos, x: x}, nil
}

// makeLogic joins two Boolean operands with and/or, flattening chains.
func (p *parser) makeLogic(t token, or bool, l, r node) (node, *Error) {
	for _, x := range []node{l, r} {
		if x.kind() != Bool {
			return nil, p.errf(x.at(), "expected a Boolean operand for %s but found %s", quoteFound(strings.ToLower(t.text)), describe(x))
		}
	}
	out, ok := l.(*logicNode)
	if !ok || out.or != or {
		out = &logicNode{pos: l.at(), or: or, args: []node{l}}
	}
	if rn, ok := r.(*logicNode); ok && rn.or == or {
		out.args = append(out.args, rn.args...)
	} else {
		out.args = append(out.args, r)
	}
	return out, nil
}
