package odata

import (
	"strings"
	"unicode/utf8"
)

// valueFn evaluates an expression for one entity; vars holds the current
// elements of the enclosing lambdas, indexed by slot.
type valueFn func(e Entity, vars []string) any

// predFn evaluates a Boolean expression for one entity.
type predFn func(e Entity, vars []string) bool

// fieldFn fetches and normalises a property; absent properties are nil.
func fieldFn(path string) valueFn {
	return func(e Entity, _ []string) any {
		v, ok := e.Field(path)
		if !ok {
			return nil
		}
		return normalize(v)
	}
}

// compilePred turns a Boolean node into a predicate.
func compilePred(n node) predFn {
	switch n := n.(type) {
	case *litNode:
		b, _ := n.val.(bool)
		return func(Entity, []string) bool { return b }
	case *logicNode:
		return compileLogic(n)
	case *notNode:
		x := compilePred(n.x)
		return func(e Entity, vars []string) bool { return !x(e, vars) }
	case *cmpNode:
		return compileCompare(n)
	case *inNode:
		return compileIn(n)
	case *callNode:
		if n.k == Bool {
			return compileStringPred(n)
		}
	case *lambdaNode:
		return compileLambda(n)
	}
	v := compileValue(n)
	return func(e Entity, vars []string) bool {
		b, _ := v(e, vars).(bool)
		return b
	}
}

// compileValue turns any node into a value function.
func compileValue(n node) valueFn {
	switch n := n.(type) {
	case *litNode:
		val := n.val
		return func(Entity, []string) any { return val }
	case *propNode:
		return fieldFn(n.path)
	case *varNode:
		slot := n.slot
		return func(_ Entity, vars []string) any { return vars[slot] }
	case *callNode:
		if n.k != Bool {
			return compileStringFunc(n)
		}
	}
	p := compilePred(n)
	return func(e Entity, vars []string) any { return p(e, vars) }
}

func compileLogic(n *logicNode) predFn {
	args := make([]predFn, len(n.args))
	for i, a := range n.args {
		args[i] = compilePred(a)
	}
	if n.or {
		return func(e Entity, vars []string) bool {
			for _, a := range args {
				if a(e, vars) {
					return true
				}
			}
			return false
		}
	}
	return func(e Entity, vars []string) bool {
		for _, a := range args {
			if !a(e, vars) {
				return false
			}
		}
		return true
	}
}

func compileCompare(n *cmpNode) predFn {
	op, mode := n.op, n.mode
	l := compileValue(n.l)
	if lit, ok := n.r.(*litNode); ok {
		val := lit.val
		if s, isStr := val.(string); isStr && mode == cmpString && (op == opEq || op == opNe) {
			want := op == opEq
			return func(e Entity, vars []string) bool {
				got, ok := l(e, vars).(string)
				return (ok && strings.EqualFold(got, s)) == want
			}
		}
		return func(e Entity, vars []string) bool { return evalOp(op, mode, l(e, vars), val) }
	}
	r := compileValue(n.r)
	return func(e Entity, vars []string) bool { return evalOp(op, mode, l(e, vars), r(e, vars)) }
}

func compileIn(n *inNode) predFn {
	l := compileValue(n.l)
	vals := make([]any, len(n.list))
	for i, lit := range n.list {
		vals[i] = lit.val
	}
	modes := n.modes
	return func(e Entity, vars []string) bool {
		v := l(e, vars)
		for i, want := range vals {
			if equalValues(modes[i], v, want) {
				return true
			}
		}
		return false
	}
}

// compileStringPred compiles contains/startswith/endswith; null operands
// never match.
func compileStringPred(n *callNode) predFn {
	a, b := compileValue(n.args[0]), compileValue(n.args[1])
	test := containsFold
	switch n.fn {
	case "startswith":
		test = hasPrefixFold
	case "endswith":
		test = hasSuffixFold
	}
	return func(e Entity, vars []string) bool {
		s, ok1 := a(e, vars).(string)
		sub, ok2 := b(e, vars).(string)
		return ok1 && ok2 && test(s, sub)
	}
}

// compileStringFunc compiles tolower, toupper and length; null in gives
// null out.
func compileStringFunc(n *callNode) valueFn {
	arg := compileValue(n.args[0])
	switch n.fn {
	case "length":
		return func(e Entity, vars []string) any {
			switch v := arg(e, vars).(type) {
			case string:
				return int64(utf8.RuneCountInString(v))
			case []string:
				return int64(len(v))
			}
			return nil
		}
	case "toupper":
		return func(e Entity, vars []string) any {
			if s, ok := arg(e, vars).(string); ok {
				return strings.ToUpper(s)
			}
			return nil
		}
	}
	return func(e Entity, vars []string) any {
		if s, ok := arg(e, vars).(string); ok {
			return strings.ToLower(s)
		}
		return nil
	}
}

// compileLambda compiles any/all; an absent collection is empty, so any is
// false and all is true.
func compileLambda(n *lambdaNode) predFn {
	coll := fieldFn(n.coll.path)
	if n.body == nil {
		return func(e Entity, vars []string) bool {
			list, _ := coll(e, vars).([]string)
			return len(list) > 0
		}
	}
	body, slot, all := compilePred(n.body), n.slot, n.all
	return func(e Entity, vars []string) bool {
		list, _ := coll(e, vars).([]string)
		for _, s := range list {
			vars[slot] = s
			if body(e, vars) != all {
				return !all
			}
		}
		return all
	}
}
