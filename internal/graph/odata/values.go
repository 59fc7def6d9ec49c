package odata

import (
	"cmp"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// normalize converts a value returned by Entity.Field to one of the types
// the evaluator understands: string, bool, int64, float64, time.Time,
// []string or nil. Other integer and float widths, pointers to the basic
// types, []any of strings and fmt.Stringer (for enums) are converted; any
// other type is returned unchanged and never matches a comparison.
func normalize(v any) any {
	switch x := v.(type) {
	case nil, string, bool, int64, float64, time.Time:
		return v
	case []string:
		if x == nil {
			return nil
		}
		return v
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case int16:
		return int64(x)
	case int8:
		return int64(x)
	case uint:
		return uintValue(uint64(x))
	case uint64:
		return uintValue(x)
	case uint32:
		return int64(x)
	case uint16:
		return int64(x)
	case uint8:
		return int64(x)
	case float32:
		return float64(x)
	case *string:
		return derefValue(x)
	case *bool:
		return derefValue(x)
	case *int64:
		return derefValue(x)
	case *float64:
		return derefValue(x)
	case *time.Time:
		return derefValue(x)
	case []any:
		return anyStrings(x)
	case fmt.Stringer:
		return x.String()
	}
	return v
}

func uintValue(u uint64) any {
	if u > math.MaxInt64 {
		return float64(u)
	}
	return int64(u)
}

func derefValue[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// anyStrings converts a []any holding only strings to []string; anything
// else is returned unchanged.
func anyStrings(list []any) any {
	if list == nil {
		return nil
	}
	out := make([]string, len(list))
	for i, x := range list {
		s, ok := x.(string)
		if !ok {
			return list
		}
		out[i] = s
	}
	return out
}

// equalValues reports whether a eq b under mode; null equals only null.
func equalValues(mode cmpMode, a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if mode == cmpString {
		as, ok1 := a.(string)
		bs, ok2 := b.(string)
		return ok1 && ok2 && strings.EqualFold(as, bs)
	}
	if mode == cmpBool {
		ab, ok1 := a.(bool)
		bb, ok2 := b.(bool)
		return ok1 && ok2 && ab == bb
	}
	c, ok := orderValues(mode, a, b)
	return ok && c == 0
}

// orderValues compares a and b under mode; ok is false when either is null
// or of the wrong run-time type.
func orderValues(mode cmpMode, a, b any) (int, bool) {
	switch mode {
	case cmpString:
		as, ok1 := a.(string)
		bs, ok2 := b.(string)
		return foldCompare(as, bs), ok1 && ok2
	case cmpNumber:
		return compareNumbers(a, b)
	case cmpTime:
		ta, ok1 := toTime(a)
		tb, ok2 := toTime(b)
		return ta.Compare(tb), ok1 && ok2
	}
	return 0, false
}

// evalOp applies a comparison operator.
func evalOp(op opCode, mode cmpMode, a, b any) bool {
	switch op {
	case opEq:
		return equalValues(mode, a, b)
	case opNe:
		return !equalValues(mode, a, b)
	}
	c, ok := orderValues(mode, a, b)
	if !ok {
		return false
	}
	switch op {
	case opGt:
		return c > 0
	case opGe:
		return c >= 0
	case opLt:
		return c < 0
	}
	return c <= 0
}

// compareNumbers compares int64/float64 values numerically; NaN never
// compares.
func compareNumbers(a, b any) (int, bool) {
	ai, aInt := a.(int64)
	bi, bInt := b.(int64)
	if aInt && bInt {
		return cmp.Compare(ai, bi), true
	}
	af, ok1 := toFloat(a)
	bf, ok2 := toFloat(b)
	if !ok1 || !ok2 || math.IsNaN(af) || math.IsNaN(bf) {
		return 0, false
	}
	return cmp.Compare(af, bf), true
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// toTime accepts a time.Time or an RFC 3339 string.
func toTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, true
	case string:
		t, err := time.Parse(time.RFC3339Nano, x)
		return t, err == nil
	}
	return time.Time{}, false
}

// foldCompare compares strings ignoring case, rune by rune after lowering.
func foldCompare(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if c := cmp.Compare(unicode.ToLower(ra), unicode.ToLower(rb)); c != 0 {
			return c
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b))
}
