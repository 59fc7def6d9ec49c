package odata

import (
	"slices"
	"strings"
	"testing"
)

func TestParseFilterMatches(t *testing.T) {
	ents := sampleEntities()
	all := []string{"d1", "d2", "d3"}
	none := []string{}
	tests := []struct {
		filter string
		want   []string
	}{
		{"displayName eq 'contoso laptop 01'", []string{"d1"}},
		{"DisplayName EQ 'CONTOSO LAPTOP 01'", []string{"d1"}},
		{"displayName ne 'contoso laptop 01'", []string{"d2", "d3"}},
		{"displayName eq 'O''Brien''s Desktop'", []string{"d2"}},
		{"serialNumber in ('SN-001','SN-002')", []string{"d1", "d2"}},
		{"serialNumber IN ( 'x' )", none},
		{"startswith(displayName,'contoso')", []string{"d1"}},
		{"startsWith(displayName, 'ärg')", []string{"d3"}},
		{"ENDSWITH(serialNumber,'002')", []string{"d2"}},
		{"contains(displayName,'brien''s')", []string{"d2"}},
		{"contains(displayName,'')", all},
		{"contains(mail,'CONTOSO')", []string{"d2"}},
		{"tolower(serialNumber) eq 'sn-001'", []string{"d1"}},
		{"toupper(model) eq 'SURFACE'", []string{"d1"}},
		{"length(serialNumber) eq 6", []string{"d1", "d2"}},
		{"length(displayName) eq 11", []string{"d3"}},
		{"length(physicalIds) ge 2", []string{"d1"}},
		{"physicalIds/any(p: startswith(p, '[ZTDID]'))", []string{"d1"}},
		{"physicalIds/any(p:p eq '[gid]G1')", []string{"d2"}},
		{"physicalIds/ANY(p:p eq 'nope')", none},
		{"physicalIds/all(p: startswith(p,'['))", all},
		{"physicalIds/all(p: startswith(p,'[ZTDID]'))", []string{"d2", "d3"}[1:]},
		{"physicalIds/any()", []string{"d1", "d2"}},
		{"groupTypes/any(c:c eq 'DynamicMembership')", []string{"d2"}},
		{"not groupTypes/any(c:c eq 'dynamicmembership')", []string{"d1", "d3"}},
		{"physicalIds/any(p: physicalIds/any(q: q eq p) and startswith(p,'[gid]'))", []string{"d2"}},
		{"physicalIds/any(p: contains(p, 'zzz') or P eq '[ztdid]ABC')", []string{"d1"}},
		{"accountEnabled eq true", []string{"d1"}},
		{"accountEnabled", []string{"d1"}},
		{"accountEnabled eq false", []string{"d2"}},
		{"accountEnabled ne true", []string{"d2", "d3"}},
		{"not accountEnabled", []string{"d2", "d3"}},
		{"not not accountEnabled", []string{"d1"}},
		{"(accountEnabled eq true) eq false", []string{"d2", "d3"}},
		{"id eq 0d2f1f4e-6a8b-4c1d-9e2f-3a4b5c6d7e8f", []string{"d1"}},
		{"id eq '0D2F1F4E-6A8B-4C1D-9E2F-3A4B5C6D7E8F'", []string{"d1"}},
		{"id in (11111111-2222-3333-4444-555555555555, '0d2f1f4e-6a8b-4c1d-9e2f-3a4b5c6d7e8f')", []string{"d1", "d2"}},
		{"createdDateTime gt 2024-01-01T00:00:00Z", []string{"d1"}},
		{"createdDateTime lt 2023-06-01T00:00:00.5+02:00", []string{"d2"}},
		{"createdDateTime eq 2023-05-31T22:00Z", []string{"d2"}},
		{"createdDateTime ge 2024-01-02", []string{"d1"}},
		{"createdDateTime ge '2024-01-01'", []string{"d1"}},
		{"createdDateTime ge '2024-01-01T00:00:00Z' and createdDateTime lt 2025-01-01T00:00:00", []string{"d1"}},
		{"createdDateTime eq null", []string{"d3"}},
		{"mail eq null", []string{"d1", "d3"}},
		{"mail ne null", []string{"d2"}},
		{"null eq mail", []string{"d1", "d3"}},
		{"physicalIds eq null", []string{"d3"}},
		{"size gt 2.5", []string{"d1", "d2"}},
		{"size eq 10", []string{"d2"}},
		{"size ge -1e3", []string{"d1", "d2"}},
		{"size le -1", none},
		{"score eq 2", []string{"d2"}},
		{"score eq 2.0", []string{"d2"}},
		{"score lt 1.6 and score gt 1.4", []string{"d1"}},
		{"size in (3, 10.0)", []string{"d1", "d2"}},
		{"state/deviceImportStatus eq 'Complete'", []string{"d1"}},
		{"State/DeviceImportStatus in ('error','unknown')", []string{"d2"}},
		{"displayName lt 'd'", []string{"d1"}},
		{"displayName ge 'CONTOSO LAPTOP 01'", all},
		{"'surface' eq model", []string{"d1"}},
		{"displayName eq serialNumber", none},
		{"(accountEnabled eq true or size eq 10) and not (serialNumber eq 'sn-002')", []string{"d1"}},
		{"accountEnabled eq true or size eq 10 and serialNumber eq 'nope'", []string{"d1"}},
		{"not displayName eq 'contoso laptop 01' and mail eq null", []string{"d3"}},
		{"true", all},
		{"false", none},
		{"null eq null", all},
		{"  accountEnabled   eq\ttrue  ", []string{"d1"}},
		{"((((accountEnabled))))", []string{"d1"}},
	}
	for _, tt := range tests {
		f, err := ParseFilter(tt.filter, testSchema)
		if err != nil {
			t.Errorf("ParseFilter(%q): %v", tt.filter, err)
			continue
		}
		if got := matching(f, ents); !slices.Equal(got, tt.want) {
			t.Errorf("ParseFilter(%q) [%s] matched %v, want %v", tt.filter, f, got, tt.want)
		}
		// The canonical form parses back to an equivalent filter.
		g, err := ParseFilter(f.String(), testSchema)
		if err != nil {
			t.Errorf("reparse of %q (from %q): %v", f, tt.filter, err)
			continue
		}
		if g.String() != f.String() || !slices.Equal(matching(g, ents), tt.want) {
			t.Errorf("reparse of %q gave %q", f, g)
		}
	}
}

func TestFilterString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"DisplayName EQ 'a''b'", "displayName eq 'a''b'"},
		{"startsWith(SerialNumber, 'x') AND (size gt 1 OR size lt -2.50)", "startswith(serialNumber,'x') and (size gt 1 or size lt -2.5)"},
		{"NOT (accountEnabled or false)", "not (accountEnabled or false)"},
		{"(not accountEnabled) eq true", "(not accountEnabled) eq true"},
		{"a/b eq 1", ""},
		{"physicalIds/Any(X: x eq 'y')", "physicalIds/any(X:X eq 'y')"},
		{"id eq 0D2F1F4E-6A8B-4C1D-9E2F-3A4B5C6D7E8F", "id eq 0d2f1f4e-6a8b-4c1d-9e2f-3a4b5c6d7e8f"},
		{"createdDateTime ge 2024-01-02", "createdDateTime ge 2024-01-02T00:00:00Z"},
		{"score eq 5.0", "score eq 5.0"},
		{"serialNumber in ('a', 'b')", "serialNumber in ('a','b')"},
		{"a eq 1 and (b eq 2 and c eq 3)", ""},
		{"true and (false and true) or true", "true and false and true or true"},
	}
	for _, tt := range tests {
		f, err := ParseFilter(tt.in, testSchema)
		if tt.want == "" {
			if err == nil {
				t.Errorf("ParseFilter(%q) = %q, want error", tt.in, f)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseFilter(%q): %v", tt.in, err)
			continue
		}
		if f.String() != tt.want {
			t.Errorf("ParseFilter(%q).String() = %q, want %q", tt.in, f, tt.want)
		}
	}
	var nilFilter *Filter
	if nilFilter.String() != "" || !nilFilter.Match(nil) || nilFilter.Properties() != nil {
		t.Error("nil Filter should render empty and match everything")
	}
}

func TestFilterProperties(t *testing.T) {
	f, err := ParseFilter("physicalIds/any(p:p eq 'x') or DISPLAYNAME eq 'y' or length(displayName) eq 1", testSchema)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.Properties(), ","); got != "displayName,physicalIds" {
		t.Errorf("Properties() = %s", got)
	}
}

func TestMatchOddValues(t *testing.T) {
	f, err := ParseFilter("size eq 3 and score gt 1 and displayName eq 'x' and createdDateTime eq 2024-01-01T00:00:00Z", testSchema)
	if err != nil {
		t.Fatal(err)
	}
	s, n := "x", int64(3)
	e := MapEntity{"size": &n, "score": float32(1.5), "displayName": &s, "createdDateTime": "2024-01-01T00:00:00Z"}
	if !f.Match(e) {
		t.Error("pointer, float32 and RFC 3339 string values should match")
	}
	if f.Match(MapEntity{"size": struct{}{}}) || f.Match(nil) {
		t.Error("unsupported value types and nil entities must not match")
	}
}
