package odata

import "testing"

func TestHints(t *testing.T) {
	s := Schema{"deviceId": String, "serialNumber": String, "displayName": String, "id": Guid}
	cases := []struct {
		filter, eq, contains string
		eqOK, containsOK     bool
	}{
		{"deviceId eq 'ABC'", "ABC", "", true, false},
		{"'x' eq deviceId", "x", "", true, false},
		{"displayName eq 'a' and deviceId eq 'b'", "b", "", true, false},
		{"displayName eq 'a' or deviceId eq 'b'", "", "", false, false},
		{"not (deviceId eq 'b')", "", "", false, false},
		{"contains(serialNumber,'5CG')", "", "5CG", false, true},
		{"contains(serialNumber,'5CG') and displayName ne 'x'", "", "5CG", false, true},
		{"contains(displayName,'5CG')", "", "", false, false},
	}
	for _, c := range cases {
		f, err := ParseFilter(c.filter, s)
		if err != nil {
			t.Fatalf("%s: %v", c.filter, err)
		}
		if v, ok := f.Equals("deviceId"); ok != c.eqOK || (ok && v != c.eq) {
			t.Errorf("%s: Equals = %q %v", c.filter, v, ok)
		}
		if v, ok := f.Contains("serialNumber"); ok != c.containsOK || (ok && v != c.contains) {
			t.Errorf("%s: Contains = %q %v", c.filter, v, ok)
		}
	}
	var nilF *Filter
	if _, ok := nilF.Equals("x"); ok {
		t.Error("nil filter gave a hint")
	}
}

func TestEqualsOnGuid(t *testing.T) {
	f, err := ParseFilter("id eq '0D2F1C5E-1111-4222-8333-444455556666'", Schema{"id": Guid})
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := f.Equals("id"); !ok || (v != "0d2f1c5e-1111-4222-8333-444455556666" && v != "0D2F1C5E-1111-4222-8333-444455556666") {
		t.Fatalf("Equals on a GUID = %q %v", v, ok)
	}
}
