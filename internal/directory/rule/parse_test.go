package rule

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

var (
	autopilotDevice = Attrs{
		Scalars: map[string]string{
			"accountEnabled":        "true",
			"displayName":           "Kiosk-Lobby-01",
			"deviceModel":           "Surface Laptop 5",
			"deviceManufacturer":    "Microsoft Corporation",
			"deviceOSType":          "Windows",
			"enrollmentProfileName": "OfflineAutopilotprofile-abc",
			"extensionAttribute3":   "Finance",
		},
		Multis: map[string][]string{
			"devicePhysicalIds": {
				"[ZTDId]:6f1b4c1e-0c79-4a8e-9d8e-5b6b5e4c3a21",
				"[OrderId]:179887111881",
				"[PurchaseOrderId]:76222342342",
				"[HWID]:h:6966824501000000",
			},
			"systemLabels": {"M365Managed"},
		},
	}
	plainDevice = Attrs{
		Scalars: map[string]string{"accountEnabled": "false", "displayName": "LAPTOP-7QK2"},
	}
	salesUser = Attrs{
		Scalars: map[string]string{
			"accountEnabled":    "true",
			"department":        "Sales",
			"userPrincipalName": "alice@contoso.com",
			"jobTitle":          "Account \"Key\" Manager",
			"country":           "Straße",
		},
		Multis: map[string][]string{
			"proxyAddresses": {"SMTP:alice@contoso.com", "smtp:a@contoso.onmicrosoft.com"},
		},
	}
	hrUser = Attrs{
		Scalars: map[string]string{"department": "hr", "userPrincipalName": "bob@contoso.com"},
	}
)

func TestMatch(t *testing.T) {
	dev, plain, sales, hr := autopilotDevice, plainDevice, salesUser, hrUser
	tests := []struct {
		rule string
		obj  Attrs
		want bool
	}{
		// The Autopilot rules from Microsoft's documentation.
		{`(device.devicePhysicalIDs -any (_ -startsWith "[ZTDid]"))`, dev, true},
		{`(device.devicePhysicalIDs -any (_ -startsWith "[ZTDid]"))`, plain, false},
		{`(device.devicePhysicalIDs -any (_ -contains "[ZTDID]"))`, dev, true},
		{`(device.devicePhysicalIDs -any _ -contains "[ZTDId]")`, dev, true},
		{`(device.devicePhysicalIDs -any _ -contains "[ZTDId]")`, plain, false},
		{`(device.devicePhysicalIds -any (_ -eq "[OrderID]:179887111881"))`, dev, true},
		{`(device.devicePhysicalIds -any (_ -eq "[OrderID]:17988711188"))`, dev, false},
		{`(device.devicePhysicalIds -any (_ -eq "[PurchaseOrderId]:76222342342"))`, dev, true},
		{`(device.physicalIds -contains "[ZTDId]:6F1B4C1E")`, dev, true},
		{`(device.devicePhysicalIds -contains "[ZTDId]")`, dev, true},
		{`(device.devicePhysicalIds -contains "[ZTDId]")`, plain, false},
		{`(device.devicePhysicalIds -notContains "[ZTDId]")`, plain, true},
		{`(device.devicePhysicalIds -notContains "[ZTDId]")`, dev, false},
		{`device.enrollmentProfileName -eq "OfflineAutopilotprofile-abc"`, dev, true},
		{`device.enrollmentProfileName -eq "OfflineAutopilotprofile-ab"`, dev, false},
		{`(user.department -eq "Sales") and (user.accountEnabled -eq true)`, sales, true},
		{`(user.department -eq "Sales") and (user.accountEnabled -eq true)`, hr, false},
		{`user.userPrincipalName -startsWith "a" or not (user.department -in ["HR","IT"])`, sales, true},
		{`user.userPrincipalName -startsWith "a" or not (user.department -in ["HR","IT"])`, hr, false},
		{`-not (device.displayName -contains "kiosk")`, dev, false},
		{`-not (device.displayName -contains "kiosk")`, plain, true},
		// Keywords and operators in any case; dashed logical operators.
		{`DEVICE.DISPLAYNAME -EQ "kiosk-lobby-01"`, dev, true},
		{`device.displayName -StartsWith 'KIOSK' -AND device.deviceModel -Contains "laptop"`, dev, true},
		{`device.displayName -eq "x" -or device.deviceModel -eq "surface laptop 5"`, dev, true},
		{`NOT device.displayName -eq "x"`, dev, true},
		{`not not device.displayName -eq "x"`, dev, false},
		// Precedence: not > and > or.
		{`device.displayName -eq "x" and device.deviceModel -eq "y" or device.deviceOSType -eq "windows"`, dev, true},
		{`device.deviceOSType -eq "windows" or device.displayName -eq "x" and device.deviceModel -eq "y"`, dev, true},
		{`(device.deviceOSType -eq "windows" or device.displayName -eq "x") and device.deviceModel -eq "y"`, dev, false},
		{`not device.deviceOSType -eq "windows" and device.deviceModel -eq "y"`, dev, false},
		// Every string operator, positive and negated.
		{`device.displayName -ne "kiosk-lobby-01"`, dev, false},
		{`device.displayName -ne "other"`, dev, true},
		{`device.displayName -notStartsWith "kiosk"`, dev, false},
		{`device.displayName -notContains "lobby"`, dev, false},
		{`device.displayName -notContains "lobby"`, plain, true},
		{`device.deviceModel -in ["Surface Pro 9", "surface laptop 5"]`, dev, true},
		{`device.deviceModel -notIn ['Surface Pro 9', 'surface laptop 5']`, dev, false},
		{`device.deviceModel -in []`, dev, false},
		{`device.deviceModel -notIn []`, dev, true},
		{`device.displayName -match "^kiosk-[a-z]+-\d+$"`, dev, true},
		{`device.displayName -match "^laptop"`, dev, false},
		{`device.displayName -notMatch "^laptop"`, dev, true},
		{`device.extensionAttribute3 -eq "finance"`, dev, true},
		// Absent values and null.
		{`device.deviceCategory -eq null`, dev, true},
		{`device.deviceCategory -ne null`, dev, false},
		{`device.displayName -eq null`, dev, false},
		{`device.displayName -ne NULL`, dev, true},
		{`device.deviceCategory -ne "x"`, dev, true},
		{`device.deviceCategory -startsWith ""`, dev, true},
		{`device.isRooted -eq null`, dev, true},
		// Booleans, bare or quoted.
		{`device.accountEnabled -eq true`, dev, true},
		{`device.accountEnabled -eq "True"`, dev, true},
		{`device.accountEnabled -eq false`, dev, false},
		{`device.accountEnabled -eq false`, plain, true},
		{`device.accountEnabled -ne true`, plain, true},
		{`device.isRooted -eq false`, dev, false}, // absent is not false
		// -any / -all bodies.
		{`device.devicePhysicalIds -any (_ -startsWith "[orderid]" and _ -contains "1881")`, dev, true},
		{`device.devicePhysicalIds -any (_ -startsWith "[orderid]" and not _ -contains "1881")`, dev, false},
		{`device.devicePhysicalIds -any (_ -eq "x" or _ -match "^\[hwid\]")`, dev, true},
		{`device.devicePhysicalIds -any not (_ -startsWith "[")`, dev, false},
		{`device.devicePhysicalIds -any (_ -in ["[OrderId]:1", "[orderid]:179887111881"])`, dev, true},
		{`device.devicePhysicalIds -all (_ -startsWith "[")`, dev, true},
		{`device.devicePhysicalIds -all (_ -startsWith "[Z")`, dev, false},
		{`device.devicePhysicalIds -all (_ -startsWith "[Z")`, plain, true}, // vacuous
		{`device.systemLabels -any _ -eq "m365managed"`, dev, true},
		{`device.devicePhysicalIds -any _ -eq "x" or device.displayName -contains "lobby"`, dev, true},
		{`user.proxyAddresses -any (_ -startsWith "smtp:" and _ -contains "onmicrosoft")`, sales, true},
		{`user.otherMails -any (_ -ne "")`, sales, false},
		// Strings: escapes, quotes, Unicode folding.
		{`user.jobTitle -eq "account \"key\" manager"`, sales, true},
		{`user.jobTitle -contains '"KEY"'`, sales, true},
		{`user.jobTitle -contains 'it\'s'`, sales, false},
		{`user.country -eq "STRAẞE"`, sales, true},   // ß and ẞ fold together
		{`user.country -eq "strasse"`, sales, false}, // simple folding only
		{"user.department -eq \"\u212Ales\"", Attrs{Scalars: map[string]string{"department": "kLES"}}, true},
		// Whitespace is free-form.
		{"\t( user.department-eq\"sales\" )\n", sales, true},
	}
	for _, tt := range tests {
		r, err := Parse(tt.rule)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.rule, err)
			continue
		}
		if got := r.Match(tt.obj); got != tt.want {
			t.Errorf("Parse(%q).Match(%v) = %v, want %v", tt.rule, tt.obj, got, tt.want)
		}
		s := NewSet()
		s.Put("g", r)
		got := s.Match(tt.obj, r.Subject())
		if want := tt.want; (len(got) == 1) != want {
			t.Errorf("Set.Match for %q = %v, want match %v", tt.rule, got, want)
		}
	}
}

func TestRuleAccessors(t *testing.T) {
	text := `(device.physicalIDS -any (_ -eq "a")) and device.DeviceModel -eq "m" or device.devicephysicalids -contains "x"`
	r, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	if r.String() != text {
		t.Errorf("String() = %q", r.String())
	}
	if r.Subject() != SubjectDevice {
		t.Errorf("Subject() = %v", r.Subject())
	}
	want := []string{"deviceModel", "devicePhysicalIds"}
	got := r.Properties()
	if !slices.Equal(got, want) {
		t.Errorf("Properties() = %v, want %v", got, want)
	}
	got[0] = "mutated"
	if r.Properties()[0] != "deviceModel" {
		t.Error("Properties() shares its slice")
	}
	u, _ := Parse(`user.extensionattribute15 -eq "x"`)
	if u.Subject() != SubjectUser || !slices.Equal(u.Properties(), []string{"extensionAttribute15"}) {
		t.Errorf("user rule: %v %v", u.Subject(), u.Properties())
	}
	var nilRule *Rule
	if nilRule.Match(autopilotDevice) || (&Rule{}).Match(nil) || !(func() bool { x, _ := Parse(`device.deviceCategory -eq null`); return x.Match(nil) })() {
		t.Error("nil handling")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		rule string
		col  int
		msg  string
	}{
		{``, 1, "expected a property such as device.displayName or user.department, found end of rule"},
		{`   `, 4, "found end of rule"},
		{`user.department -eq `, 21, "expected a quoted value after -eq, found end of rule"},
		{`user.department -eq Sales`, 21, "expected a quoted value after -eq, found Sales"},
		{`user.department -eq true`, 21, "expected a quoted value after -eq, found true"},
		{`user.department -startsWith null`, 29, "expected a quoted value after -startsWith, found null"},
		{`user.department`, 16, "expected an operator such as -eq after user.department, found end of rule"},
		{`user.department "x"`, 17, `expected an operator such as -eq after user.department, found "x"`},
		{`user.department -like "x"`, 17, "found -like"},
		{`user.department -and "x"`, 17, "found -and"},
		{`user.department - eq "x"`, 17, `expected an operator name after "-", found " "`},
		{`user.nope -eq "x"`, 1, "expected a known user property, found user.nope"},
		{`device.department -eq "x"`, 1, "expected a known device property, found device.department"},
		{`department -eq "x"`, 1, "expected a property such as device.displayName or user.department, found department"},
		{`group.name -eq "x"`, 1, "expected a property starting with device. or user., found group.name"},
		{`device.displayName -eq "a" and user.department -eq "b"`, 32, "cannot mix device and user properties), found user.department"},
		{`user.department -eq "a" or (device.displayName -eq "b")`, 29, "expected a user property like user.department"},
		{`device.displayName -any (_ -eq "x")`, 20, "after single-valued device.displayName, found -any"},
		{`device.devicePhysicalIds -startsWith "[ZTDId]"`, 26, "expected -any, -all, -contains or -notContains after multi-valued device.devicePhysicalIds, found -startsWith"},
		{`device.devicePhysicalIds -eq "x"`, 26, "found -eq"},
		{`device.accountEnabled -contains "t"`, 23, "expected -eq or -ne after boolean device.accountEnabled, found -contains"},
		{`device.accountEnabled -eq "yes"`, 27, `expected true, false or null after -eq, found "yes"`},
		{`device.accountEnabled -eq`, 26, "expected true, false or null after -eq, found end of rule"},
		{`device.displayName -eq "abc`, 24, `expected a closing " for the string starting here`},
		{`device.displayName -eq 'abc\'`, 24, `expected a closing ' for the string`},
		{`(device.displayName -eq "abc"`, 30, `expected and, or or ")" to close the "(" at column 1, found end of rule`},
		{`device.displayName -eq "abc")`, 29, `expected and, or or end of rule, found ")"`},
		{`device.displayName -eq "abc" "def"`, 30, `expected and, or or end of rule, found "def"`},
		{`device.displayName -eq "abc" device.deviceModel -eq "x"`, 30, "found device.deviceModel"},
		{`device.displayName -eq "abc" # comment`, 30, `expected and, or or end of rule, found unexpected character "#"`},
		{`device.displayName -eq "a" and`, 31, "expected a property such as device.displayName or user.department, found end of rule"},
		{`device.displayName -eq "a" or or device.deviceModel -eq "b"`, 31, "found or"},
		{`()`, 2, `found ")"`},
		{`not`, 4, "found end of rule"},
		{`_ -eq "x"`, 1, "(_ is only allowed inside -any or -all), found _"},
		{`device.devicePhysicalIds -any`, 30, `expected "(" or _ after -any, found end of rule`},
		{`device.devicePhysicalIds -any "x"`, 31, `expected "(" or _ after -any, found "x"`},
		{`device.devicePhysicalIds -all (device.displayName -eq "x")`, 32, "expected _ (the current element) inside -all, found device.displayName"},
		{`device.devicePhysicalIds -any (_ -any (_ -eq "x"))`, 34, "found -any (-any and -all cannot be nested)"},
		{`device.devicePhysicalIds -any (_ -eq null)`, 38, "expected a quoted value after -eq, found null"},
		{`device.devicePhysicalIds -any (_ -eq "x"`, 41, `to close the "(" at column 31, found end of rule`},
		{`device.devicePhysicalIds -any _`, 32, "expected an operator such as -eq after _, found end of rule"},
		{`device.deviceModel -in "a"`, 24, `expected a list such as ["a","b"] after -in, found "a"`},
		{`device.deviceModel -in ["a" "b"]`, 29, `expected "," or "]" in the list, found "b"`},
		{`device.deviceModel -notIn ["a",]`, 32, `expected a quoted value in the list, found "]"`},
		{`device.deviceModel -in ["a"`, 28, `expected "," or "]" in the list, found end of rule`},
		{`device.displayName -match "(abc"`, 27, "expected a valid regular expression after -match, found \"(abc\" (error parsing regexp: missing closing )"},
		{`device.displayName -notMatch 'a**'`, 30, "expected a valid regular expression after -notMatch"},
		{`device.displayName -match x`, 27, "expected a quoted regular expression after -match, found x"},
		{"device.displayName -eq \"é\" and ü", 32, "found ü"},
		{"ünknown -eq \"x\"", 1, "found ünknown"},
		{"device.displayName -eq \"a\" \xff", 28, `found unexpected character "\xff"`},
		{strings.Repeat("(", 150) + `device.displayName -eq "a"` + strings.Repeat(")", 150), 101, "expected at most 100 levels"},
		{strings.Repeat("not ", 150) + `device.displayName -eq "a"`, 401, "expected at most 100 levels"},
	}
	for _, tt := range tests {
		r, err := Parse(tt.rule)
		if err == nil {
			t.Errorf("Parse(%q) = %v, want error", tt.rule, r)
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) error %T is not *SyntaxError", tt.rule, err)
			continue
		}
		if se.Column != tt.col || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("Parse(%q):\n got column %d: %s\nwant column %d: ...%s...", tt.rule, se.Column, se.Msg, tt.col, tt.msg)
		}
		if !strings.HasPrefix(err.Error(), "rule: column ") {
			t.Errorf("Error() = %q", err.Error())
		}
	}
}

func TestErrorFormat(t *testing.T) {
	_, err := Parse(`(user.department -eq )`)
	want := `rule: column 22: expected a quoted value after -eq, found ")"`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}
