package odata

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseSearch(t *testing.T) {
	ents := sampleEntities()
	tests := []struct {
		raw, canon string
		want       []string
	}{
		{`"displayName:contoso"`, `"displayName:contoso"`, []string{"d1"}},
		{`"DISPLAYNAME:LAPTOP"`, `"displayName:LAPTOP"`, []string{"d1"}},
		{`"displayName: ärger "`, `"displayName:ärger"`, []string{"d3"}},
		{`displayName:desk`, `"displayName:desk"`, []string{"d2"}},
		{`"displayName:o'brien" OR "serialNumber:001"`, `"displayName:o'brien" OR "serialNumber:001"`, []string{"d1", "d2"}},
		{`"displayName:contoso" and "serialNumber:002"`, `"displayName:contoso" AND "serialNumber:002"`, []string{}},
		{`"displayName:con" "serialNumber:sn"`, `"displayName:con" AND "serialNumber:sn"`, []string{"d1"}},
		{`"physicalIds:ztdid"`, `"physicalIds:ztdid"`, []string{"d1"}},
		{`"displayName:a\"b\\c"`, `"displayName:a\"b\\c"`, []string{}},
		{`"id:1111"`, `"id:1111"`, []string{"d2"}},
		{`"displayName:x" OR "displayName:contoso" AND "mail:nope"`, `"displayName:x" OR "displayName:contoso" AND "mail:nope"`, []string{}},
	}
	for _, tt := range tests {
		s, err := ParseSearch(tt.raw, testSchema)
		if err != nil {
			t.Errorf("ParseSearch(%s): %v", tt.raw, err)
			continue
		}
		if s.String() != tt.canon {
			t.Errorf("ParseSearch(%s).String() = %s, want %s", tt.raw, s, tt.canon)
		}
		got := []string{}
		for _, name := range []string{"d1", "d2", "d3"} {
			if s.Match(ents[name]) {
				got = append(got, name)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("ParseSearch(%s) matched %v, want %v", tt.raw, got, tt.want)
		}
		again, err := ParseSearch(s.String(), testSchema)
		if err != nil || again.String() != s.String() {
			t.Errorf("reparse of %s: %v %v", s, again, err)
		}
	}
	var nilSearch *Search
	if !nilSearch.Match(nil) || nilSearch.String() != "" {
		t.Error("nil Search must match everything")
	}
}

func TestParseSearchErrors(t *testing.T) {
	tests := []struct {
		raw string
		col int
		msg string
	}{
		{`"displayName"`, 1, `expected a "property:term" clause but found 'displayName'`},
		{`"displayName:"`, 1, `found 'displayName:'`},
		{`":x"`, 1, `found ':x'`},
		{`"foo:x"`, 1, "unknown property 'foo'"},
		{`"accountEnabled:x"`, 1, "expected a string property but found 'accountEnabled' (Bool)"},
		{`"displayName:x`, 1, `expected a closing '"' but found end of input`},
		{`OR "displayName:x"`, 1, "found 'OR'"},
		{`"displayName:x" AND`, 20, "found end of input"},
		{`"displayName:x" AND OR "displayName:y"`, 21, "found 'OR'"},
		{`  `, 3, "found end of input"},
	}
	for _, tt := range tests {
		_, err := ParseSearch(tt.raw, testSchema)
		var perr *Error
		if !errors.As(err, &perr) || perr.Option != "$search" || perr.Pos != tt.col || !strings.Contains(perr.Msg, tt.msg) {
			t.Errorf("ParseSearch(%s) = %v, want column %d containing %q", tt.raw, err, tt.col, tt.msg)
		}
	}
}
