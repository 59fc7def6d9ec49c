package odata

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
)

var testOpts = QueryOptions{
	Schema: testSchema,
	Expand: []string{"registeredOwners", "deploymentProfile"},
	MaxTop: 999,
}

func mustValues(t *testing.T, raw string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatalf("ParseQuery(%q): %v", raw, err)
	}
	return v
}

func TestParseQueryFull(t *testing.T) {
	raw := "$filter=startswith(DisplayName,'c')&$select=displayName,ID,displayname&$expand=RegisteredOwners" +
		"&$orderby=displayName%20desc,%20size&$top=5&$skip=2&$count=TRUE&$search=%22displayName:contoso%22&api-version=2"
	q, err := ParseQuery(mustValues(t, raw), testOpts)
	if err != nil {
		t.Fatal(err)
	}
	if q.Filter.String() != "startswith(displayName,'c')" {
		t.Errorf("Filter = %q", q.Filter)
	}
	if !slices.Equal(q.Select, []string{"displayName", "id"}) {
		t.Errorf("Select = %v", q.Select)
	}
	if !slices.Equal(q.Expand, []string{"registeredOwners"}) {
		t.Errorf("Expand = %v", q.Expand)
	}
	if !slices.Equal(q.OrderBy, []OrderBy{{"displayName", true}, {"size", false}}) {
		t.Errorf("OrderBy = %v", q.OrderBy)
	}
	if q.Top != 5 || q.Skip != 2 || !q.Count {
		t.Errorf("Top/Skip/Count = %d/%d/%v", q.Top, q.Skip, q.Count)
	}
	if q.Search.String() != `"displayName:contoso"` {
		t.Errorf("Search = %s", q.Search)
	}
}

func TestParseQueryNames(t *testing.T) {
	for _, raw := range []string{"$filter=true", "$Filter=true", "filter=true", "FILTER=true", "$FILTER=true"} {
		q, err := ParseQuery(mustValues(t, raw), testOpts)
		if err != nil || q.Filter.String() != "true" {
			t.Errorf("%s: %v %v", raw, q, err)
		}
	}
}

func TestParseQueryDefaults(t *testing.T) {
	q, err := ParseQuery(nil, QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if q.Filter != nil || q.Search != nil || q.Select != nil || q.Expand != nil || q.OrderBy != nil ||
		q.Top != DefaultPageSize || q.Skip != 0 || q.Count || q.SkipToken != "" {
		t.Errorf("defaults = %+v", q)
	}
	q, _ = ParseQuery(nil, QueryOptions{DefaultTop: 100, MaxTop: 50})
	if q.Top != 50 {
		t.Errorf("Top = %d, want capped 50", q.Top)
	}
	q, _ = ParseQuery(mustValues(t, "$select=*&$count=false"), testOpts)
	if q.Select != nil || q.Count || q.Top != 999 {
		t.Errorf("got %+v", q)
	}
	q, err = ParseQuery(mustValues(t, "$select=displayName,Model"), QueryOptions{Select: []string{"displayName", "model"}})
	if err != nil || !slices.Equal(q.Select, []string{"displayName", "model"}) {
		t.Errorf("Select with allow list: %v %v", q, err)
	}
	if q, err = ParseQuery(mustValues(t, "$top=0"), testOpts); err != nil || q.Top != 0 {
		t.Errorf("$top=0: %v %v", q, err)
	}
}

func TestParseQueryErrors(t *testing.T) {
	tests := []struct {
		raw    string
		opts   *QueryOptions
		option string
		col    int
		msg    string
	}{
		{raw: "$top=1&top=2", option: "$top", msg: "expected the option once but found it repeated"},
		{raw: "$top=1&$top=2", option: "$top", msg: "repeated"},
		{raw: "$format=json", option: "$format", msg: "expected a supported query option"},
		{raw: "$filter=", option: "$filter", msg: "expected a value but found an empty string"},
		{raw: "$filter=foo eq 1", option: "$filter", col: 1, msg: "unknown property 'foo'"},
		{raw: "$top=-1", option: "$top", msg: "expected a non-negative integer but found '-1'"},
		{raw: "$top=abc", option: "$top", msg: "expected a non-negative integer but found 'abc'"},
		{raw: "$top=%2B5", option: "$top", msg: "non-negative integer"},
		{raw: "$top=1000", option: "$top", msg: "expected an integer between 0 and 999 but found 1000"},
		{raw: "$skip=x", option: "$skip", msg: "non-negative integer"},
		{raw: "$select=displayName,foo", option: "$select", col: 13, msg: "expected a property name but found 'foo'"},
		{raw: "$select=displayName,,id", option: "$select", col: 13, msg: "empty list element"},
		{raw: "$select=x", opts: &QueryOptions{Schema: testSchema, Select: []string{}}, option: "$select", col: 1, msg: "'x'"},
		{raw: "$expand=manager", option: "$expand", col: 1, msg: "expected a navigation property that can be expanded but found 'manager'"},
		{raw: "$expand=registeredOwners($select=id)", option: "$expand", col: 17, msg: "nested query options are not supported"},
		{raw: "$expand=registeredOwners", opts: &QueryOptions{Schema: testSchema}, option: "$expand", col: 1, msg: "registeredOwners"},
		{raw: "$orderby=physicalIds", option: "$orderby", col: 1, msg: "expected a single-valued property but found 'physicalIds' (StringCollection)"},
		{raw: "$orderby=size sideways", option: "$orderby", col: 6, msg: "expected 'asc' or 'desc' but found 'sideways'"},
		{raw: "$orderby=size asc x", option: "$orderby", col: 10, msg: "expected ',' or end of input but found 'x'"},
		{raw: "$orderby=size,Size desc", option: "$orderby", col: 6, msg: "expected each property once"},
		{raw: "$orderby=nope", option: "$orderby", col: 1, msg: "unknown property 'nope'"},
		{raw: "$count=yes", option: "$count", msg: "expected 'true' or 'false' but found 'yes'"},
		{raw: "$search=displayName", option: "$search", col: 1, msg: `expected a "property:term" clause`},
		{raw: "$skip=1&$skiptoken=abc", option: "$skiptoken", msg: "expected either $skip or $skiptoken but found both"},
		{raw: "$skiptoken=abc", option: "$skiptoken", msg: "invalid token"},
		{raw: "$filter=" + strings.Repeat("x", 5000), option: "$filter", msg: "expected at most 4096 characters but found 5000"},
		{raw: "$search=" + strings.Repeat("x", 20), opts: &QueryOptions{Schema: testSchema, MaxFilterLength: 10}, option: "$search", msg: "at most 10"},
	}
	for _, tt := range tests {
		opts := testOpts
		if tt.opts != nil {
			opts = *tt.opts
		}
		q, err := ParseQuery(mustValues(t, tt.raw), opts)
		var perr *Error
		if !errors.As(err, &perr) {
			t.Errorf("ParseQuery(%q) = %+v, %v; want *Error", tt.raw, q, err)
			continue
		}
		if perr.Option != tt.option || perr.Pos != tt.col || !strings.Contains(perr.Msg, tt.msg) {
			t.Errorf("ParseQuery(%q) = %q (option %s col %d), want %s col %d containing %q", tt.raw, perr.Msg, perr.Option, perr.Pos, tt.option, tt.col, tt.msg)
		}
	}
	// Long filters pass when the limit is disabled.
	long := "$filter=" + strings.Repeat("true or ", 1000) + "true"
	if _, err := ParseQuery(mustValues(t, long), QueryOptions{MaxFilterLength: -1}); err != nil {
		t.Errorf("unlimited filter length: %v", err)
	}
}
