package odata

import (
	"strconv"
	"strings"
	"time"
)

// node is a typed $filter syntax tree node. kind is its static type.
type node interface {
	kind() Kind
	at() int // byte offset of the node in the source, for errors
}

// litNode is a literal. val is string (String and Guid, Guid lower-cased),
// bool, int64, float64, time.Time or nil (null).
type litNode struct {
	pos int
	k   Kind
	val any
}

// propNode references a schema property by its canonical path.
type propNode struct {
	pos  int
	path string
	k    Kind
}

// varNode references a lambda range variable; slot indexes the variables
// of the enclosing lambdas during evaluation.
type varNode struct {
	pos  int
	name string
	slot int
}

// opCode is a comparison operator.
type opCode uint8

const (
	opEq opCode = iota
	opNe
	opGt
	opGe
	opLt
	opLe
)

var opNames = [...]string{opEq: "eq", opNe: "ne", opGt: "gt", opGe: "ge", opLt: "lt", opLe: "le"}

// cmpMode says how two operands of a comparison are compared.
type cmpMode uint8

const (
	cmpNull cmpMode = iota // one side is the null literal
	cmpString
	cmpNumber
	cmpTime
	cmpBool
)

// cmpNode is a binary comparison such as "a eq 'x'".
type cmpNode struct {
	pos  int
	op   opCode
	mode cmpMode
	l, r node
}

// inNode is "l in (list...)"; modes[i] compares l with list[i].
type inNode struct {
	pos   int
	l     node
	list  []*litNode
	modes []cmpMode
}

// logicNode is a flattened chain of "and" or "or" operands.
type logicNode struct {
	pos  int
	or   bool
	args []node
}

// notNode is "not x".
type notNode struct {
	pos int
	x   node
}

// callNode is a built-in function call; fn is lower case.
type callNode struct {
	pos  int
	fn   string
	args []node
	k    Kind
}

// lambdaNode is "coll/any(v: body)" or "coll/all(v: body)"; body is nil for
// "coll/any()".
type lambdaNode struct {
	pos  int
	coll *propNode
	all  bool
	v    string
	slot int
	body node
}

func (n *litNode) kind() Kind    { return n.k }
func (n *propNode) kind() Kind   { return n.k }
func (n *varNode) kind() Kind    { return String }
func (n *cmpNode) kind() Kind    { return Bool }
func (n *inNode) kind() Kind     { return Bool }
func (n *logicNode) kind() Kind  { return Bool }
func (n *notNode) kind() Kind    { return Bool }
func (n *callNode) kind() Kind   { return n.k }
func (n *lambdaNode) kind() Kind { return Bool }

func (n *litNode) at() int    { return n.pos }
func (n *propNode) at() int   { return n.pos }
func (n *varNode) at() int    { return n.pos }
func (n *cmpNode) at() int    { return n.pos }
func (n *inNode) at() int     { return n.pos }
func (n *logicNode) at() int  { return n.pos }
func (n *notNode) at() int    { return n.pos }
func (n *callNode) at() int   { return n.pos }
func (n *lambdaNode) at() int { return n.pos }

// Rendering precedences: a child whose precedence is below the minimum its
// parent requires is wrapped in parentheses.
const (
	precOr = iota + 1
	precAnd
	precNot
	precCmp
	precPrimary
)

func precOf(n node) int {
	switch n := n.(type) {
	case *logicNode:
		if n.or {
			return precOr
		}
		return precAnd
	case *notNode:
		return precNot
	case *cmpNode, *inNode:
		return precCmp
	}
	return precPrimary
}

// render writes the canonical text of n, which parses back to the same tree.
func render(b *strings.Builder, n node, min int) {
	if precOf(n) < min {
		b.WriteByte('(')
		defer b.WriteByte(')')
	}
	switch n := n.(type) {
	case *litNode:
		b.WriteString(renderLiteral(n))
	case *propNode:
		b.WriteString(n.path)
	case *varNode:
		b.WriteString(n.name)
	case *cmpNode:
		render(b, n.l, precCmp)
		b.WriteString(" " + opNames[n.op] + " ")
		render(b, n.r, precPrimary)
	case *inNode:
		render(b, n.l, precCmp)
		b.WriteString(" in (")
		for i, x := range n.list {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(renderLiteral(x))
		}
		b.WriteByte(')')
	case *logicNode:
		sep := " and "
		if n.or {
			sep = " or "
		}
		for i, x := range n.args {
			if i > 0 {
				b.WriteString(sep)
			}
			render(b, x, precOf(n)+1)
		}
	case *notNode:
		b.WriteString("not ")
		render(b, n.x, precNot)
	case *callNode:
		b.WriteString(n.fn + "(")
		for i, x := range n.args {
			if i > 0 {
				b.WriteByte(',')
			}
			render(b, x, 0)
		}
		b.WriteByte(')')
	case *lambdaNode:
		b.WriteString(n.coll.path)
		if n.all {
			b.WriteString("/all(")
		} else {
			b.WriteString("/any(")
		}
		if n.body != nil {
			b.WriteString(n.v + ":")
			render(b, n.body, 0)
		}
		b.WriteByte(')')
	}
}

// renderLiteral writes a literal in canonical OData syntax.
func renderLiteral(n *litNode) string {
	switch v := n.val.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		s := strconv.FormatFloat(v, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEnN") {
			s += ".0"
		}
		return s
	case time.Time:
		return v.Format(time.RFC3339Nano)
	case string:
		if n.k == Guid {
			return v
		}
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	}
	return "null"
}

// describe names an operand for error messages, e.g. "accountEnabled (Bool)".
func describe(n node) string {
	if l, ok := n.(*litNode); ok && l.k == kindNull {
		return "null"
	}
	var b strings.Builder
	render(&b, n, 0)
	return shorten(b.String()) + " (" + n.kind().String() + ")"
}
