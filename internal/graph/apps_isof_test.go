package graph

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestTakeIsOf(t *testing.T) {
	cases := []struct {
		filter, rest, enc string // rest: the $filter left; enc: the isof parameter values joined by ";"
		match, miss       []string
	}{
		{"isof('microsoft.graph.win32LobApp')", "", "win32LobApp", []string{"win32LobApp", "win32CatalogApp"}, []string{"windowsMobileMSI"}},
		{"ISOF( '#Microsoft.Graph.windowsmobilemsi' )", "", "windowsMobileMSI", []string{"windowsMobileMSI"}, []string{"win32LobApp"}},
		{"(isof('microsoft.graph.win32LobApp') and not(isof('microsoft.graph.win32CatalogApp')))", "", "win32LobApp;!win32CatalogApp",
			[]string{"win32LobApp"}, []string{"win32CatalogApp", "webApp"}},
		{"displayName eq 'x' and (isof('microsoft.graph.webApp') or isof('microsoft.graph.mobileLobApp'))", "displayName eq 'x'",
			"webApp|mobileLobApp", []string{"webApp", "windowsMobileMSI", "iosLobApp"}, []string{"iosStoreApp"}},
		{"not isof('microsoft.graph.managedApp') and startswith(displayName,'a') and isof('microsoft.graph.mobileApp')",
			"startswith(displayName,'a')", "!managedApp;mobileApp", []string{"webApp"}, []string{"managedIOSLobApp"}},
		{"displayName eq 'isof(''a'')'", "displayName eq 'isof(''a'')'", "", []string{"webApp"}, nil},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/v1.0/x?"+url.Values{"$filter": {c.filter}}.Encode(), nil)
		got, f, err := takeIsOf(r)
		if err != nil {
			t.Errorf("%s: %v", c.filter, err)
			continue
		}
		q := got.URL.Query()
		if rest := q.Get("$filter"); rest != c.rest {
			t.Errorf("%s: rest %q, want %q", c.filter, rest, c.rest)
		}
		if enc := strings.Join(q[isofParam], ";"); enc != c.enc {
			t.Errorf("%s: carried %q, want %q", c.filter, enc, c.enc)
		}
		for _, typ := range c.match {
			if !f.matches(typ) {
				t.Errorf("%s: %s should match", c.filter, typ)
			}
		}
		for _, typ := range c.miss {
			if f.matches(typ) {
				t.Errorf("%s: %s should not match", c.filter, typ)
			}
		}
		// The carried parameter alone rebuilds the same filter (next pages).
		again, f2, err := takeIsOf(httptest.NewRequest("GET", "/v1.0/x?"+got.URL.RawQuery, nil))
		if err != nil || again.URL.Query().Get("$filter") != c.rest || len(f2.anyOf) != len(f.anyOf) || len(f2.noneOf) != len(f.noneOf) {
			t.Errorf("%s: next page filter %v %v", c.filter, f2, err)
		}
	}
	for _, bad := range []string{
		"isof('microsoft.graph.win32LobApp') or displayName eq 'x'",
		"isof('microsoft.graph.nope')",
		"isof(displayName)",
		"not(isof('microsoft.graph.webApp') or isof('microsoft.graph.win32LobApp'))",
	} {
		r := httptest.NewRequest("GET", "/v1.0/x?"+url.Values{"$filter": {bad}}.Encode(), nil)
		if _, _, err := takeIsOf(r); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
}

func FuzzTakeIsOf(f *testing.F) {
	for _, s := range []string{
		"isof('microsoft.graph.win32LobApp')",
		"(isof('microsoft.graph.win32LobApp') and not(isof('microsoft.graph.win32CatalogApp')))",
		"displayName eq 'x' and (isof('a') or isof('b'))",
		"((((isof(", "not", "'isof('", "isof('') and and",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, filter string) {
		r := httptest.NewRequest("GET", "/v1.0/x?"+url.Values{"$filter": {filter}}.Encode(), nil)
		got, _, err := takeIsOf(r)
		if err != nil {
			return
		}
		if rest := got.URL.Query().Get("$filter"); hasIsOf(rest) && hasIsOf(filter) && rest == filter && len(got.URL.Query()[isofParam]) > 0 {
			t.Fatalf("isof carried and kept: %q", filter)
		}
	})
}
