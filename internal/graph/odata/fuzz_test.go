package odata

import (
	"errors"
	"net/url"
	"testing"
	"unicode/utf8"
)

var filterSeeds = []string{
	"displayName eq 'x'",
	"startswith(displayName,'Con') and accountEnabled eq true",
	"physicalIds/any(p: startswith(p, '[ZTDID]'))",
	"physicalIds/all(p:p ne 'x') or physicalIds/any()",
	"groupTypes/any(c:c eq 'DynamicMembership')",
	"serialNumber in ('a','b''c')",
	"id eq 0d2f1f4e-6a8b-4c1d-9e2f-3a4b5c6d7e8f",
	"createdDateTime ge 2024-01-02T03:04:05.123+01:00 and createdDateTime lt 2025-01-01",
	"not (size gt -1.5e3) or score le 2",
	"length(tolower(displayName)) eq 3 and toupper(model) ne null",
	"state/deviceImportStatus in ('complete','error')",
	"((((true))))",
	"displayName eq 'Ärger'",
	"contains(mail,'@') eq (accountEnabled eq false)",
	"physicalIds/any(p:physicalIds/any(q:q eq p))",
}

func checkError(t *testing.T, src string, err error) {
	t.Helper()
	var perr *Error
	if !errors.As(err, &perr) {
		t.Fatalf("error %v (%T) is not *Error", err, err)
	}
	if perr.Msg == "" {
		t.Fatalf("empty error message for %q", src)
	}
	if n := utf8.RuneCountInString(src); perr.Pos < 0 || perr.Pos > n+1 {
		t.Fatalf("column %d outside 1..%d for %q", perr.Pos, n+1, src)
	}
}

func FuzzParseFilter(f *testing.F) {
	for _, s := range filterSeeds {
		f.Add(s)
	}
	ents := sampleEntities()
	f.Fuzz(func(t *testing.T, src string) {
		flt, err := ParseFilter(src, testSchema)
		if err != nil {
			checkError(t, src, err)
			return
		}
		for _, e := range ents {
			flt.Match(e)
		}
		flt.Match(nil)
		flt.Match(MapEntity{"displayName": 5, "physicalIds": []any{1}, "size": "x", "score": nil})
		again, err := ParseFilter(flt.String(), testSchema)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", flt, src, err)
		}
		if again.String() != flt.String() {
			t.Fatalf("canonical form not stable: %q -> %q", flt, again)
		}
		for name, e := range ents {
			if again.Match(e) != flt.Match(e) {
				t.Fatalf("canonical form %q matches %s differently from %q", flt, name, src)
			}
		}
	})
}

func FuzzParseQuery(f *testing.F) {
	f.Add("$filter=size%20gt%201&$orderby=size%20desc&$top=2&$count=true")
	f.Add("filter=true&$select=displayName,id&$expand=registeredOwners&$skip=1")
	f.Add("$search=%22displayName:con%22%20OR%20%22serialNumber:1%22&$top=1")
	f.Add("$skiptoken=AQoAAAAAAAAAAA&$Top=5")
	f.Add("$orderby=displayName,createdDateTime%20asc&$select=*")
	items := append(numbered(7), sampleEntities()["d1"], sampleEntities()["d2"], nil)
	base, _ := url.Parse("https://wg.example/v1.0/devices")
	f.Fuzz(func(t *testing.T, raw string) {
		values, _ := url.ParseQuery(raw)
		q, err := ParseQuery(values, testOpts)
		if err != nil {
			var perr *Error
			if !errors.As(err, &perr) || perr.Msg == "" {
				t.Fatalf("error %v (%T) is not a useful *Error", err, err)
			}
			return
		}
		p := q.Apply(items)
		if p.Items == nil || len(p.Items) > q.Top || p.Total > len(items) {
			t.Fatalf("bad page %+v for %+v", p, q)
		}
		if p.HasNext {
			off, err := DecodeSkipToken(q, q.NextSkipToken(p))
			if err != nil || off != p.NextOffset {
				t.Fatalf("skip token round trip: %d %v", off, err)
			}
			if q.NextLink(base, p) == "" {
				t.Fatal("empty next link")
			}
		}
	})
}
