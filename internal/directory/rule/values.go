package rule

import (
	"regexp"
	"strings"
)

// op is a comparison operator.
type op uint8

const (
	opEq op = iota + 1
	opNe
	opStartsWith
	opNotStartsWith
	opContains
	opNotContains
	opIn
	opNotIn
	opMatch
	opNotMatch
	opAny
	opAll
)

// opNames holds each operator's canonical spelling.
var opNames = map[op]string{
	opEq: "-eq", opNe: "-ne",
	opStartsWith: "-startsWith", opNotStartsWith: "-notStartsWith",
	opContains: "-contains", opNotContains: "-notContains",
	opIn: "-in", opNotIn: "-notIn",
	opMatch: "-match", opNotMatch: "-notMatch",
	opAny: "-any", opAll: "-all",
}

// opLookup maps a lowered operator name, without its dash, to the operator.
var opLookup = func() map[string]op {
	m := make(map[string]op, len(opNames))
	for o, n := range opNames {
		m[strings.ToLower(n[1:])] = o
	}
	return m
}()

// negate wraps t in a notTest when neg is set.
func negate(neg bool, t tester) tester {
	if neg {
		return &notTest{t}
	}
	return t
}

// stringTest parses the value of a string operator and compiles the test.
// null (an empty or absent value) is accepted for -eq / -ne when allowNull.
func (p *parser) stringTest(o op, allowNull bool) (tester, error) {
	switch o {
	case opEq, opNe:
		if t := p.peek(); allowNull && t.kind == tWord && strings.EqualFold(t.val, "null") {
			p.next()
			return negate(o == opNe, &eqTest{""}), nil
		}
		key, err := p.quoted(o)
		if err != nil {
			return nil, err
		}
		return negate(o == opNe, &eqTest{key}), nil
	case opStartsWith, opNotStartsWith:
		key, err := p.quoted(o)
		if err != nil {
			return nil, err
		}
		return negate(o == opNotStartsWith, &prefixTest{key}), nil
	case opContains, opNotContains:
		key, err := p.quoted(o)
		if err != nil {
			return nil, err
		}
		return negate(o == opNotContains, &containsTest{key}), nil
	case opIn, opNotIn:
		keys, err := p.list(o)
		if err != nil {
			return nil, err
		}
		return negate(o == opNotIn, &inTest{keys}), nil
	case opMatch, opNotMatch:
		t := p.next()
		if t.kind != tString {
			return nil, p.unexpected(t, "a quoted regular expression after "+opNames[o])
		}
		if _, err := regexp.Compile(t.val); err != nil {
			return nil, errorf(t.col, "expected a valid regular expression after %s, found %s (%v)", opNames[o], describe(t), err)
		}
		re, err := regexp.Compile("(?i)" + t.val)
		if err != nil {
			return nil, errorf(t.col, "expected a valid regular expression after %s, found %s (%v)", opNames[o], describe(t), err)
		}
		return negate(o == opNotMatch, &matchTest{re: re, src: t.val}), nil
	}
	// opAny / opAll are handled by the callers.
	return nil, errorf(p.peek().col, "expected a string operator, found %s", opNames[o])
}

// quoted reads a quoted string after operator o and returns its folded key.
func (p *parser) quoted(o op) (string, error) {
	t := p.next()
	if t.kind != tString {
		return "", p.unexpected(t, "a quoted value after "+opNames[o])
	}
	return foldString(t.val), nil
}

// boolValue reads true, false (bare or quoted) or null after o and returns
// the key the property's value must fold to ("" for null).
func (p *parser) boolValue(o op) (string, error) {
	t := p.next()
	if t.kind == tWord || t.kind == tString {
		for _, v := range [...]string{"true", "false"} {
			if strings.EqualFold(t.val, v) {
				return v, nil
			}
		}
		if t.kind == tWord && strings.EqualFold(t.val, "null") {
			return "", nil
		}
	}
	return "", p.unexpected(t, "true, false or null after "+opNames[o])
}

// list reads a list literal such as ["a", 'b'] and returns folded keys.
func (p *parser) list(o op) ([]string, error) {
	t := p.next()
	if t.kind != tLBrack {
		return nil, p.unexpected(t, `a list such as ["a","b"] after `+opNames[o])
	}
	keys := []string{}
	if p.peek().kind == tRBrack {
		p.next()
		return keys, nil
	}
	for {
		v := p.next()
		if v.kind != tString {
			return nil, p.unexpected(v, "a quoted value in the list")
		}
		keys = append(keys, foldString(v.val))
		switch sep := p.next(); sep.kind {
		case tComma:
		case tRBrack:
			return keys, nil
		default:
			return nil, p.unexpected(sep, `"," or "]" in the list`)
		}
	}
}
