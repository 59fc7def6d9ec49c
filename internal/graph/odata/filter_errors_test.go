package odata

import (
	"errors"
	"strings"
	"testing"
)

func TestParseFilterErrors(t *testing.T) {
	deep := strings.Repeat("(", MaxFilterDepth+5) + "true" + strings.Repeat(")", MaxFilterDepth+5)
	tests := []struct {
		filter string
		col    int
		msg    string
	}{
		{"", 1, "expected an expression but found end of input"},
		{"   ", 4, "expected an expression but found end of input"},
		{"displayName eq", 15, "expected an expression but found end of input"},
		{"foo eq 'x'", 1, "unknown property 'foo'"},
		{"state/foo eq 'x'", 1, "unknown property 'state/foo'"},
		{"accountEnabled eq 'x'", 16, "expected comparable operands for 'eq' but found accountEnabled (Bool) and 'x' (String)"},
		{"size eq true", 6, "expected comparable operands"},
		{"contains(accountEnabled,'x')", 10, "expected a string as argument 1 of 'contains' but found accountEnabled (Bool)"},
		{"startswith(displayName, 5)", 25, "expected a string as argument 2"},
		{"length(size) eq 1", 8, "expected a string or collection as argument 1"},
		{"displayName/any(p:p eq 'x')", 1, "expected a collection property before '/any' but found 'displayName' (String)"},
		{"(displayName eq 'x'", 20, "expected ')' but found end of input"},
		{"(displayName eq 'x' foo)", 21, "expected ')' but found 'foo'"},
		{"startswith(displayName,'x' 'y')", 28, "expected ',' or ')' but found string 'y'"},
		{"displayName eq 'x' and", 23, "expected an expression but found end of input"},
		{"displayName eq 'abc", 16, "expected closing quote"},
		{"displayName eq \"abc\"", 16, "expected a single-quoted string"},
		{"serialNumber in ('a' and 'b')", 22, "expected ',' or ')' but found 'and'"},
		{"displayName eq 'x' foo", 20, "expected an operator or end of input but found 'foo'"},
		{"true)", 5, "expected an operator or end of input but found ')'"},
		{")", 1, "expected an expression but found ')'"},
		{"foo(displayName)", 1, "expected a function (contains, startswith, endswith, tolower, toupper, length) but found 'foo'"},
		{"contains(displayName)", 1, "expected 2 arguments for function 'contains' but found 1"},
		{"tolower() eq 'x'", 1, "expected 1 argument for function 'tolower' but found 0"},
		{"displayName", 1, "expected a Boolean expression but found displayName (String)"},
		{"length(displayName)", 1, "expected a Boolean expression but found length(displayName) (Int)"},
		{"physicalIds eq 'x'", 13, "use any() or all()"},
		{"accountEnabled gt true", 16, "expected ordered operands"},
		{"size gt null", 6, "expected ordered operands"},
		{"size eq 99999999999999999999", 9, "expected a 64-bit integer but found '99999999999999999999'"},
		{"size eq 1e999", 9, "expected a finite number"},
		{"createdDateTime eq 2024-13-01", 20, "expected a valid date or date-time but found '2024-13-01'"},
		{"createdDateTime eq 2024-01-01T25:00:00Z", 20, "expected a valid date or date-time"},
		{"createdDateTime eq 'yesterday'", 20, "expected a date-time but found 'yesterday' (String)"},
		{"createdDateTime eq 2024-01-01x", 20, "expected a date or date-time but found '2024-01-01x'"},
		{"id eq 'nope'", 7, "expected a GUID but found 'nope' (String)"},
		{"id eq 5", 4, "expected comparable operands"},
		{"physicalIds/any(p:p)", 19, "expected a Boolean lambda body but found p (String)"},
		{"physicalIds/any(p p eq 'x')", 19, "expected ':' after the lambda variable but found 'p'"},
		{"physicalIds/all()", 17, "expected a lambda variable name but found ')'"},
		{"physicalIds/any(eq: true)", 17, "expected a lambda variable name but found 'eq'"},
		{"physicalIds/any(p:physicalIds/any(P:p eq 'x'))", 35, "already in use"},
		{"physicalIds/any(p:p/x eq 'a')", 20, "expected an operator after lambda variable 'p' (String) but found '/'"},
		{"physicalIds/any(p:p eq 'a'", 27, "expected ')' but found end of input"},
		{"not displayName", 5, "expected a Boolean operand for 'not' but found displayName (String)"},
		{"displayName and true", 1, "expected a Boolean operand for 'and' but found displayName (String)"},
		{"true OR size", 9, "expected a Boolean operand for 'or' but found size (Int)"},
		{"displayName eq 'x' # ", 20, "unexpected character '#'"},
		{"displayName eq 'x' ä", 20, "unexpected character 'ä'"},
		{"size eq 12abc", 9, "expected a number but found '12abc'"},
		{"size eq 1.2.3", 9, "expected a number but found '1.2.3'"},
		{"size eq -", 9, "unexpected character '-'"},
		{"displayName eq and", 16, "expected an expression but found 'and'"},
		{"serialNumber in 'a'", 17, "expected '(' after 'in' but found string 'a'"},
		{"serialNumber in (displayName)", 18, "expected a literal value in the 'in' list but found 'displayName'"},
		{"serialNumber in ()", 18, "expected a literal value in the 'in' list but found ')'"},
		{"size in ('a')", 10, "expected a value comparable with size (Int) but found 'a' (String)"},
		{"physicalIds in ('a')", 13, "expected a single value before 'in'"},
		{"state/ eq 1", 8, "expected a property name after '/' but found 'eq'"},
		{"displayName eq 'Ärger' and foo eq 1", 28, "unknown property 'foo'"},
		{deep, MaxFilterDepth + 1, "expected at most 100 levels of nesting"},
		{strings.Repeat("not ", 200) + "true", 4*MaxFilterDepth + 1, "levels of nesting"},
	}
	for _, tt := range tests {
		f, err := ParseFilter(tt.filter, testSchema)
		if err == nil {
			t.Errorf("ParseFilter(%q) = %q, want error", tt.filter, f)
			continue
		}
		var perr *Error
		if !errors.As(err, &perr) {
			t.Errorf("ParseFilter(%q) error %T is not *Error", tt.filter, err)
			continue
		}
		if perr.Pos != tt.col || !strings.Contains(perr.Msg, tt.msg) || perr.Option != "$filter" {
			t.Errorf("ParseFilter(%q) = column %d %q, want column %d containing %q", tt.filter, perr.Pos, perr.Msg, tt.col, tt.msg)
		}
	}
}

func TestErrorFormat(t *testing.T) {
	_, err := ParseFilter("(true and false", testSchema)
	if err == nil || err.Error() != "$filter: column 16: expected ')' but found end of input" {
		t.Errorf("got %v", err)
	}
	e := &Error{Option: "$top", Msg: "bad"}
	if e.Error() != "$top: bad" {
		t.Errorf("got %q", e.Error())
	}
	e = &Error{Pos: 12, Msg: "expected ')' but found 'and'"}
	if e.Error() != "$filter: column 12: expected ')' but found 'and'" {
		t.Errorf("got %q", e.Error())
	}
}

func TestLongLiteralShortenedInMessage(t *testing.T) {
	_, err := ParseFilter("displayName eq '"+strings.Repeat("x", 500)+"' zzz", testSchema)
	if err == nil {
		t.Fatal("want error")
	}
	if _, err = ParseFilter("size eq '"+strings.Repeat("x", 500)+"'", testSchema); err == nil || len(err.Error()) > 200 {
		t.Errorf("message not shortened: %v", err)
	}
}
