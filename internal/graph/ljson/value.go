package ljson

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// ValueType identifies which JSON type a [Value] holds.
type ValueType uint8

// The JSON value types. The zero ValueType is NullType.
const (
	NullType ValueType = iota
	BoolType
	NumberType
	StringType
	ArrayType
	ObjectType
)

// String returns the lower-case JSON name of the type ("null", "boolean",
// "number", "string", "array", "object").
func (t ValueType) String() string {
	switch t {
	case NullType:
		return "null"
	case BoolType:
		return "boolean"
	case NumberType:
		return "number"
	case StringType:
		return "string"
	case ArrayType:
		return "array"
	case ObjectType:
		return "object"
	}
	return "ValueType(" + strconv.Itoa(int(t)) + ")"
}

// Value is a parsed JSON value. Only the fields that belong to Type are set.
type Value struct {
	// Type is the JSON type of the value.
	Type ValueType
	// Bool holds the value of a boolean.
	Bool bool
	// Text holds the contents of a string (escapes resolved) or the literal
	// text of a number exactly as written, so large integers survive intact.
	Text string
	// Items holds the elements of an array.
	Items []Value
	// Members holds the members of an object in document order. Names are
	// unique within one object.
	Members []Member
}

// Member is one name/value pair of a JSON object.
type Member struct {
	// Name is the property name with escapes resolved.
	Name string
	// Value is the property value.
	Value Value
}

// Lookup returns the value of the member called name (exact, case-sensitive
// match) when v is an object.
func (v Value) Lookup(name string) (Value, bool) {
	for _, m := range v.Members {
		if m.Name == name {
			return m.Value, true
		}
	}
	return Value{}, false
}

// Interface converts v to the plain Go values that encoding/json produces
// with UseNumber: nil, bool, json.Number, string, []any and map[string]any.
func (v Value) Interface() any {
	switch v.Type {
	case BoolType:
		return v.Bool
	case NumberType:
		return json.Number(v.Text)
	case StringType:
		return v.Text
	case ArrayType:
		out := make([]any, len(v.Items))
		for i, it := range v.Items {
			out[i] = it.Interface()
		}
		return out
	case ObjectType:
		out := make(map[string]any, len(v.Members))
		for _, m := range v.Members {
			out[m.Name] = m.Value.Interface()
		}
		return out
	}
	return nil
}

// describe renders v for error messages: `a string "maybe"`, `a number 1.5`,
// `a boolean true`, `null`, `an array`, `an object`.
func describe(v Value) string {
	switch v.Type {
	case BoolType:
		return "a boolean " + strconv.FormatBool(v.Bool)
	case NumberType:
		return "a number " + truncate(v.Text, 32)
	case StringType:
		return "a string " + strconv.Quote(truncate(v.Text, 40))
	case ArrayType:
		return "an array"
	case ObjectType:
		return "an object"
	}
	return "null"
}

// truncate shortens s to at most n runes, marking the cut with "…".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := range s {
		if i == n {
			return s[:k] + "…"
		}
		i++
	}
	return s
}
