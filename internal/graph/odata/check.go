package odata

import "strings"

// funcSig describes a built-in function: its argument count, which Kinds
// each argument accepts and its result Kind.
type funcSig struct {
	args       int
	collection bool // the argument may also be a StringCollection
	result     Kind
}

// functions lists the supported built-in functions by lower-case name.
var functions = map[string]funcSig{
	"contains":   {args: 2, result: Bool},
	"startswith": {args: 2, result: Bool},
	"endswith":   {args: 2, result: Bool},
	"tolower":    {args: 1, result: String},
	"toupper":    {args: 1, result: String},
	"length":     {args: 1, collection: true, result: Int},
}

// checkCall type-checks a call of function name (token t) with args.
func (p *parser) checkCall(t token, name string, args []node) (node, *Error) {
	sig := functions[name]
	if len(args) != sig.args {
		plural := "s"
		if sig.args == 1 {
			plural = ""
		}
		return nil, p.errf(t.pos, "expected %d argument%s for function '%s' but found %d", sig.args, plural, name, len(args))
	}
	for i, a := range args {
		k := a.kind()
		if !k.stringish() && !(sig.collection && k == StringCollection) {
			want := "a string"
			if sig.collection {
				want = "a string or collection"
			}
			return nil, p.errf(a.at(), "expected %s as argument %d of '%s' but found %s", want, i+1, name, describe(a))
		}
	}
	return &callNode{pos: t.pos, fn: name, args: args, k: sig.result}, nil
}

// compareMode returns how values of Kinds a and b are compared, or false
// when they cannot be compared.
func compareMode(a, b Kind) (cmpMode, bool) {
	switch {
	case a == kindNull || b == kindNull:
		return cmpNull, true
	case a == StringCollection || b == StringCollection:
		return 0, false
	case a.stringish() && b.stringish():
		return cmpString, true
	case a.numeric() && b.numeric():
		return cmpNumber, true
	case a == DateTime && b == DateTime:
		return cmpTime, true
	case a == Bool && b == Bool:
		return cmpBool, true
	}
	return 0, false
}

// coerce converts a quoted string literal compared with a DateTime or Guid
// operand into a literal of that Kind; other nodes are returned unchanged.
func (p *parser) coerce(target Kind, n node) (node, *Error) {
	lit, ok := n.(*litNode)
	if !ok || lit.k != String {
		return n, nil
	}
	s := lit.val.(string)
	switch target {
	case DateTime:
		tm, ok := parseDateTime(s)
		if !ok {
			return nil, p.errf(lit.pos, "expected a date-time but found %s", describe(lit))
		}
		return &litNode{pos: lit.pos, k: DateTime, val: tm}, nil
	case Guid:
		if len(s) != 36 || matchGUID(s, 0) != 36 {
			return nil, p.errf(lit.pos, "expected a GUID but found %s", describe(lit))
		}
		return &litNode{pos: lit.pos, k: Guid, val: strings.ToLower(s)}, nil
	}
	return n, nil
}

// makeCompare type-checks "l op r" (op's token is t).
func (p *parser) makeCompare(t token, op string, l, r node) (node, *Error) {
	var err *Error
	if r, err = p.coerce(l.kind(), r); err != nil {
		return nil, err
	}
	if l, err = p.coerce(r.kind(), l); err != nil {
		return nil, err
	}
	mode, ok := compareMode(l.kind(), r.kind())
	if !ok {
		if l.kind() == StringCollection || r.kind() == StringCollection {
			return nil, p.errf(t.pos, "expected single values on both sides of '%s' (use any() or all() on collections) but found %s and %s", op, describe(l), describe(r))
		}
		return nil, p.errf(t.pos, "expected comparable operands for '%s' but found %s and %s", op, describe(l), describe(r))
	}
	code := opEq
	for i, name := range opNames {
		if name == op {
			code = opCode(i)
		}
	}
	if code != opEq && code != opNe && mode != cmpString && mode != cmpNumber && mode != cmpTime {
		return nil, p.errf(t.pos, "expected ordered operands (string, number or date-time) for '%s' but found %s and %s", op, describe(l), describe(r))
	}
	return &cmpNode{pos: t.pos, op: code, mode: mode, l: l, r: r}, nil
}

// parseIn parses the literal list of "l in (a, b, ...)"; t is the 'in' token.
func (p *parser) parseIn(t token, l node) (node, *Error) {
	if k := l.kind(); k == StringCollection || k == kindNull {
		return nil, p.errf(t.pos, "expected a single value before 'in' but found %s", describe(l))
	}
	if _, err := p.expect(tkLParen, "'(' after 'in'"); err != nil {
		return nil, err
	}
	n := &inNode{pos: t.pos, l: l}
	for {
		tok := p.next()
		lit, err, ok := p.literal(tok)
		if !ok {
			return nil, p.errf(tok.pos, "expected a literal value in the 'in' list but found %s", tok.found())
		}
		if err != nil {
			return nil, err
		}
		x, err := p.coerce(l.kind(), lit)
		if err != nil {
			return nil, err
		}
		mode, ok := compareMode(l.kind(), x.kind())
		if !ok {
			return nil, p.errf(tok.pos, "expected a value comparable with %s but found %s", describe(l), describe(x))
		}
		n.list = append(n.list, x.(*litNode))
		n.modes = append(n.modes, mode)
		sep := p.next()
		if sep.kind == tkRParen {
			return n, nil
		}
		if sep.kind != tkComma {
			return nil, p.errf(sep.pos, "expected ',' or ')' but found %s", sep.found())
		}
	}
}
