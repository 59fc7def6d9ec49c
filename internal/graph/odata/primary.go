package odata

import (
	"strconv"
	"strings"
	"time"
)

// primary parses a literal, parenthesised expression, function call,
// property path, lambda variable or lambda.
func (p *parser) primary() (node, *Error) {
	t := p.peek()
	if lit, err, ok := p.literal(t); ok {
		if err == nil {
			p.next()
		}
		return lit, err
	}
	switch {
	case t.kind == tkLParen:
		p.next()
		x, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(tkRParen, "')'"); err != nil {
			return nil, err
		}
		return x, nil
	case t.kind != tkIdent || isReserved(t) || t.is("not"):
		return nil, p.errf(t.pos, "expected an expression but found %s", t.found())
	}
	p.next()
	if p.peek().kind == tkLParen {
		return p.call(t)
	}
	return p.path(t)
}

// literal converts t to a literal node when it is one; ok is false when t is
// not a literal token at all.
func (p *parser) literal(t token) (lit *litNode, err *Error, ok bool) {
	switch t.kind {
	case tkString:
		return &litNode{pos: t.pos, k: String, val: t.str}, nil, true
	case tkInt:
		n, perr := strconv.ParseInt(t.text, 10, 64)
		if perr != nil {
			return nil, p.errf(t.pos, "expected a 64-bit integer but found %s", t.found()), true
		}
		return &litNode{pos: t.pos, k: Int, val: n}, nil, true
	case tkFloat:
		f, perr := strconv.ParseFloat(t.text, 64)
		if perr != nil {
			return nil, p.errf(t.pos, "expected a finite number but found %s", t.found()), true
		}
		return &litNode{pos: t.pos, k: Float, val: f}, nil, true
	case tkGuid:
		return &litNode{pos: t.pos, k: Guid, val: strings.ToLower(t.text)}, nil, true
	case tkDate, tkDateTime:
		tm, ok := parseDateTime(t.text)
		if !ok {
			return nil, p.errf(t.pos, "expected a valid date or date-time but found %s", t.found()), true
		}
		return &litNode{pos: t.pos, k: DateTime, val: tm}, nil, true
	case tkIdent:
		switch {
		case t.is("true"), t.is("false"):
			return &litNode{pos: t.pos, k: Bool, val: t.is("true")}, nil, true
		case t.is("null"):
			return &litNode{pos: t.pos, k: kindNull}, nil, true
		}
	}
	return nil, nil, false
}

// parseDateTime parses a date (midnight UTC) or an RFC 3339 date-time whose
// seconds and zone are optional (no zone means UTC).
func parseDateTime(s string) (time.Time, bool) {
	end, kind, ok := matchDate(s, 0)
	if !ok || end != len(s) {
		return time.Time{}, false
	}
	layouts := []string{"2006-01-02"}
	if kind == tkDateTime {
		layouts = []string{"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02T15:04"}
	}
	for _, layout := range layouts {
		if tm, err := time.Parse(layout, s); err == nil {
			return tm, true
		}
	}
	return time.Time{}, false
}

// call parses the argument list of the function named by t.
func (p *parser) call(t token) (node, *Error) {
	name := strings.ToLower(t.text)
	if _, ok := functions[name]; !ok {
		return nil, p.errf(t.pos, "expected a function (contains, startswith, endswith, tolower, toupper, length) but found %s", t.found())
	}
	p.next() // '('
	var args []node
	if p.peek().kind == tkRParen {
		p.next()
		return p.checkCall(t, name, args)
	}
	for {
		arg, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		args = append(args, arg)
		sep := p.next()
		if sep.kind == tkRParen {
			return p.checkCall(t, name, args)
		}
		if sep.kind != tkComma {
			return nil, p.errf(sep.pos, "expected ',' or ')' but found %s", sep.found())
		}
	}
}

// path parses a property path (a or a/b), a lambda variable, or a lambda
// over a collection property; t is the first segment, already consumed.
func (p *parser) path(t token) (node, *Error) {
	if slot, ok := p.lookupVar(t.text); ok {
		if p.peek().kind == tkSlash {
			return nil, p.errf(p.peek().pos, "expected an operator after lambda variable %s (String) but found '/'", quoteFound(t.text))
		}
		return &varNode{pos: t.pos, name: p.vars[slot], slot: slot}, nil
	}
	segs := []string{t.text}
	for p.peek().kind == tkSlash {
		p.next()
		seg := p.next()
		if seg.kind != tkIdent || isReserved(seg) {
			return nil, p.errf(seg.pos, "expected a property name after '/' but found %s", seg.found())
		}
		if (seg.is("any") || seg.is("all")) && p.peek().kind == tkLParen {
			return p.lambda(t, strings.Join(segs, "/"), seg)
		}
		segs = append(segs, seg.text)
	}
	path := strings.Join(segs, "/")
	canon, kind, ok := p.schema.Lookup(path)
	if !ok {
		return nil, p.errf(t.pos, "expected a property name but found unknown property %s", quoteFound(path))
	}
	return &propNode{pos: t.pos, path: canon, k: kind}, nil
}

// lambda parses "(v: body)" or "()" after coll/any or coll/all.
func (p *parser) lambda(start token, path string, op token) (node, *Error) {
	canon, kind, ok := p.schema.Lookup(path)
	if !ok {
		return nil, p.errf(start.pos, "expected a property name but found unknown property %s", quoteFound(path))
	}
	opName := strings.ToLower(op.text)
	if kind != StringCollection {
		return nil, p.errf(start.pos, "expected a collection property before '/%s' but found %s (%s)", opName, quoteFound(canon), kind)
	}
	n := &lambdaNode{pos: start.pos, coll: &propNode{pos: start.pos, path: canon, k: kind}, all: opName == "all"}
	p.next() // '('
	if p.peek().kind == tkRParen && !n.all {
		p.next()
		return n, nil
	}
	v := p.next()
	if v.kind != tkIdent || isReserved(v) || v.is("not") || v.is("true") || v.is("false") || v.is("null") {
		return nil, p.errf(v.pos, "expected a lambda variable name but found %s", v.found())
	}
	if _, dup := p.lookupVar(v.text); dup {
		return nil, p.errf(v.pos, "expected a new lambda variable name but found %s, which is already in use", v.found())
	}
	if _, err := p.expect(tkColon, "':' after the lambda variable"); err != nil {
		return nil, err
	}
	p.vars = append(p.vars, v.text)
	n.v, n.slot = v.text, len(p.vars)-1
	p.nvars = max(p.nvars, len(p.vars))
	body, err := p.expr(0)
	p.vars = p.vars[:len(p.vars)-1]
	if err != nil {
		return nil, err
	}
	if body.kind() != Bool {
		return nil, p.errf(body.at(), "expected a Boolean lambda body but found %s", describe(body))
	}
	n.body = body
	if _, err := p.expect(tkRParen, "')'"); err != nil {
		return nil, err
	}
	return n, nil
}

// lookupVar finds a lambda variable in scope (innermost first), ignoring case.
func (p *parser) lookupVar(name string) (int, bool) {
	for i := len(p.vars) - 1; i >= 0; i-- {
		if strings.EqualFold(p.vars[i], name) {
			return i, true
		}
	}
	return 0, false
}
