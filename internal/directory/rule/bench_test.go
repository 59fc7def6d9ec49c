package rule

import (
	"fmt"
	"testing"
)

// benchDevice is a typical Autopilot device: four physical ids. It is an
// Object already so the benchmarks do not measure the interface conversion.
var benchDevice Object = Attrs{
	Scalars: map[string]string{
		"accountEnabled":        "true",
		"displayName":           "DESKTOP-8F3K2Q",
		"deviceModel":           "Model 42",
		"deviceManufacturer":    "Contoso",
		"enrollmentProfileName": "Profile 7",
	},
	Multis: map[string][]string{"devicePhysicalIds": {
		"[ZTDId]:6f1b4c1e-0c79-4a8e-9d8e-5b6b5e4c3a21",
		"[OrderId]:tag8",
		"[PurchaseOrderId]:76222342342",
		"[HWID]:h:6966824501000000",
	}},
}

// autopilotRules returns n typical rules; with distinct, the rules that
// cannot be indexed all differ, so none can share an evaluation.
func autopilotRules(b *testing.B, n int, distinct bool) []*Rule {
	ztd := []string{"[ZTDId]", "[ZTDID]", "[ZTDid]"}
	rules := make([]*Rule, n)
	for i := range rules {
		var text string
		switch i % 4 {
		case 0:
			text = fmt.Sprintf(`(device.devicePhysicalIds -any (_ -eq "[OrderID]:tag%d"))`, i)
		case 1:
			text = fmt.Sprintf(`(device.devicePhysicalIDs -any (_ -startsWith "%s"))`, ztd[i%3])
			if distinct {
				text = fmt.Sprintf(`(device.devicePhysicalIDs -any (_ -startsWith "[ZTDId]:%x"))`, i)
			}
		case 2:
			text = fmt.Sprintf(`device.deviceModel -eq "Model %d"`, i)
		default:
			text = fmt.Sprintf(`device.enrollmentProfileName -eq "Profile %d"`, i)
		}
		rules[i] = mustParse(b, text)
	}
	return rules
}

func benchSet(b *testing.B, distinct bool) {
	s := NewSet()
	for i, r := range autopilotRules(b, 1000, distinct) {
		s.Put(fmt.Sprintf("group-%04d", i), r)
	}
	s.Match(benchDevice, SubjectDevice) // build the index
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		s.Match(benchDevice, SubjectDevice)
	}
}

// BenchmarkSetMatch1000 matches one device against 1000 typical rules.
func BenchmarkSetMatch1000(b *testing.B) { benchSet(b, false) }

// BenchmarkSetMatch1000Distinct is the worst case: 250 different
// -startsWith rules that must each be evaluated.
func BenchmarkSetMatch1000Distinct(b *testing.B) { benchSet(b, true) }

// BenchmarkRuleMatch1000 is the baseline: Match on each rule in turn.
func BenchmarkRuleMatch1000(b *testing.B) {
	rules := autopilotRules(b, 1000, false)
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range rules {
			r.Match(benchDevice)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	texts := []string{
		`(device.devicePhysicalIDs -any (_ -startsWith "[ZTDid]"))`,
		`(device.devicePhysicalIds -any (_ -eq "[OrderID]:179887111881"))`,
		`(user.department -eq "Sales") and (user.accountEnabled -eq true)`,
		`user.userPrincipalName -startsWith "a" or not (user.department -in ["HR","IT"])`,
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range texts {
			if _, err := Parse(t); err != nil {
				b.Fatal(err)
			}
		}
	}
}
