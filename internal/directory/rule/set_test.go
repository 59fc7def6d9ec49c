package rule

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
)

func mustParse(t testing.TB, s string) *Rule {
	t.Helper()
	r, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSetBasics(t *testing.T) {
	s := NewSet()
	s.Put("b", mustParse(t, `device.devicePhysicalIds -any _ -eq "[OrderId]:179887111881"`))
	s.Put("a", mustParse(t, `(device.devicePhysicalIDs -any (_ -startsWith "[ZTDid]"))`))
	s.Put("c", mustParse(t, `device.deviceModel -eq "other"`))
	s.Put("d", mustParse(t, `(device.devicePhysicalIDs -any (_ -startsWith "[ZTDID]"))`)) // same group as a
	s.Put("u", mustParse(t, `user.department -eq "sales"`))
	if s.Len() != 5 {
		t.Fatalf("Len = %d", s.Len())
	}
	check := func(o Object, subj Subject, want ...string) {
		t.Helper()
		if got := s.Match(o, subj); !slices.Equal(got, want) {
			t.Errorf("Match = %v, want %v", got, want)
		}
	}
	check(autopilotDevice, SubjectDevice, "a", "b", "d")
	check(plainDevice, SubjectDevice)
	check(salesUser, SubjectUser, "u")
	check(salesUser, Subject(0))
	check(nil, SubjectDevice)

	s.Put("c", mustParse(t, `device.deviceModel -eq "SURFACE LAPTOP 5"`)) // replace
	s.Delete("d")
	s.Delete("missing")
	check(autopilotDevice, SubjectDevice, "a", "b", "c")
	s.Put("a", nil) // deletes
	check(autopilotDevice, SubjectDevice, "b", "c")
	if s.Len() != 3 {
		t.Fatalf("Len = %d", s.Len())
	}

	var zero Set
	check2 := zero.Match(autopilotDevice, SubjectDevice)
	zero.Put("x", mustParse(t, `device.accountEnabled -eq true`))
	if check2 != nil || !slices.Equal(zero.Match(autopilotDevice, SubjectDevice), []string{"x"}) {
		t.Error("zero Set")
	}
}

func TestSetIndexesExactValues(t *testing.T) {
	cases := map[string]bool{
		`device.devicePhysicalIds -any _ -eq "[OrderID]:x"`:                               true,
		`device.deviceModel -eq "x" and device.displayName -contains "y"`:                 true,
		`device.deviceModel -in ["a", "b"] or device.devicePhysicalIds -contains "[z"`:    false,
		`device.deviceModel -in ["a", "b"] or device.devicePhysicalIds -any _ -eq "[z"`:   true,
		`device.devicePhysicalIds -any (_ -eq "a" or _ -eq "b")`:                          true,
		`device.devicePhysicalIds -all (_ -eq "a")`:                                       false,
		`device.deviceModel -ne "x"`:                                                      false,
		`device.deviceModel -eq null`:                                                     false,
		`not device.deviceModel -eq "x"`:                                                  false,
		`device.devicePhysicalIds -any (_ -startsWith "[ZTDId]")`:                         false,
		`device.devicePhysicalIds -any (_ -startsWith "[ZTDId]" and _ -in ["[ztdid]:1"])`: true,
	}
	for text, indexed := range cases {
		r := mustParse(t, text)
		if _, ok := nodeReqs(r.root); ok != indexed {
			t.Errorf("%s: indexed = %v, want %v", text, ok, indexed)
		}
	}
}

// Random rules and objects: Set.Match must agree with Rule.Match.

var (
	physPool = []string{"[ZTDId]:k1", "[ZTDId]:k2", "[OrderId]:tag1", "[OrderId]:tag2", "[PurchaseOrderId]:77", "[HWID]:h:1", "", "[GID]:g:9"}
	strPool  = []string{"Surface Laptop", "kiosk", "Sales", "HR", "", "straße", "profile-a", "k"}
)

// mangle varies the case of s, sometimes using KELVIN SIGN for k.
func mangle(rng *rand.Rand, s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case (r == 'k' || r == 'K') && rng.IntN(4) == 0:
			b.WriteRune('\u212a')
		case rng.IntN(2) == 0:
			b.WriteString(strings.ToUpper(string(r)))
		default:
			b.WriteString(strings.ToLower(string(r)))
		}
	}
	return b.String()
}

func pick(rng *rand.Rand, pool []string) string { return pool[rng.IntN(len(pool))] }

func quote(rng *rand.Rand, pool []string) string {
	return fmt.Sprintf("%q", mangle(rng, pick(rng, pool)))
}

func genElem(rng *rand.Rand, depth int) string {
	if depth > 0 && rng.IntN(3) == 0 {
		switch rng.IntN(3) {
		case 0:
			return "(" + genElem(rng, depth-1) + " and " + genElem(rng, depth-1) + ")"
		case 1:
			return "(" + genElem(rng, depth-1) + " or " + genElem(rng, depth-1) + ")"
		default:
			return "not " + genElem(rng, depth-1)
		}
	}
	ops := []string{"-eq", "-eq", "-eq", "-ne", "-startsWith", "-contains", "-notStartsWith", "-in", "-match"}
	switch op := ops[rng.IntN(len(ops))]; op {
	case "-in":
		return fmt.Sprintf("_ -in [%s, %s]", quote(rng, physPool), quote(rng, physPool))
	case "-match":
		return `_ -match "^\[orderid\]:tag\d$"`
	default:
		return "_ " + op + " " + quote(rng, physPool)
	}
}

func genLeaf(rng *rand.Rand, subj Subject) string {
	if subj == SubjectUser {
		switch rng.IntN(5) {
		case 0:
			return "user.department -eq " + quote(rng, strPool)
		case 1:
			return fmt.Sprintf("user.department -in [%s, %s]", quote(rng, strPool), quote(rng, strPool))
		case 2:
			return "user.proxyAddresses -any (" + genElem(rng, 2) + ")"
		case 3:
			return "user.accountEnabled -eq " + pick(rng, []string{"true", "false", "null", `"TRUE"`})
		default:
			return "user.jobTitle " + pick(rng, []string{"-eq", "-ne", "-startsWith", "-notContains"}) + " " + quote(rng, strPool)
		}
	}
	switch rng.IntN(9) {
	case 0, 1:
		return "device.devicePhysicalIds -any (" + genElem(rng, 2) + ")"
	case 2:
		return "device.physicalIds -any " + genElem(rng, 0)
	case 3:
		return "device.devicePhysicalIds -all (" + genElem(rng, 1) + ")"
	case 4:
		return "device.devicePhysicalIds " + pick(rng, []string{"-contains", "-notContains"}) + " " + quote(rng, physPool)
	case 5:
		return "device.deviceModel " + pick(rng, []string{"-eq", "-eq", "-ne", "-startsWith", "-contains"}) + " " + quote(rng, strPool)
	case 6:
		return "device.enrollmentProfileName -eq " + pick(rng, []string{quote(rng, strPool), "null"})
	case 7:
		return fmt.Sprintf("device.displayName -notIn [%s, %s]", quote(rng, strPool), quote(rng, strPool))
	default:
		return "device.accountEnabled -ne " + pick(rng, []string{"true", "false", "null"})
	}
}

func genRule(rng *rand.Rand, subj Subject, depth int) string {
	if depth > 0 && rng.IntN(2) == 0 {
		switch rng.IntN(4) {
		case 0:
			return "(" + genRule(rng, subj, depth-1) + ") and (" + genRule(rng, subj, depth-1) + ")"
		case 1:
			return genRule(rng, subj, depth-1) + " or " + genRule(rng, subj, depth-1)
		case 2:
			return genRule(rng, subj, depth-1) + " -and " + genRule(rng, subj, depth-1)
		default:
			return "-not (" + genRule(rng, subj, depth-1) + ")"
		}
	}
	return genLeaf(rng, subj)
}

func genObject(rng *rand.Rand) Attrs {
	a := Attrs{Scalars: map[string]string{}, Multis: map[string][]string{}}
	for _, name := range []string{"deviceModel", "enrollmentProfileName", "displayName", "department", "jobTitle"} {
		if rng.IntN(4) != 0 {
			a.Scalars[name] = mangle(rng, pick(rng, strPool))
		}
	}
	if rng.IntN(3) != 0 {
		a.Scalars["accountEnabled"] = pick(rng, []string{"true", "false", "True"})
	}
	for _, name := range []string{"devicePhysicalIds", "proxyAddresses"} {
		var vals []string
		for range rng.IntN(5) {
			vals = append(vals, mangle(rng, pick(rng, physPool)))
		}
		a.Multis[name] = vals
	}
	return a
}

func TestSetAgreesWithMatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for round := range 30 {
		s := NewSet()
		rules := map[string]*Rule{}
		for i := range 150 {
			subj := Subject(1 + rng.IntN(2))
			text := genRule(rng, subj, 3)
			if i%10 == 0 && i > 0 { // duplicates exercise grouping
				text = rules[fmt.Sprintf("r%03d", i-1)].String()
			}
			r := mustParse(t, text)
			id := fmt.Sprintf("r%03d", i)
			rules[id] = r
			s.Put(id, r)
		}
		for step := range 60 {
			if step%20 == 19 { // mutate between matches
				for id := range rules {
					if rng.IntN(5) == 0 {
						delete(rules, id)
						s.Delete(id)
					}
				}
			}
			o := genObject(rng)
			for _, subj := range []Subject{SubjectDevice, SubjectUser} {
				var want []string
				for id, r := range rules {
					if r.Subject() == subj && r.Match(o) {
						want = append(want, id)
					}
				}
				slices.Sort(want)
				if got := s.Match(o, subj); !slices.Equal(got, want) {
					t.Fatalf("round %d: Set.Match(%v) = %v, want %v", round, o, got, want)
				}
			}
		}
		if s.Len() != len(rules) {
			t.Fatalf("Len = %d, want %d", s.Len(), len(rules))
		}
	}
}

func TestSetConcurrent(t *testing.T) {
	s := NewSet()
	r := mustParse(t, `device.devicePhysicalIds -any _ -startsWith "[ztdid]"`)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				id := fmt.Sprintf("w%d-%d", w, i)
				s.Put(id, r)
				if got := s.Match(autopilotDevice, SubjectDevice); !slices.Contains(got, id) {
					t.Errorf("missing %s", id)
					return
				}
			}
		}()
	}
	wg.Wait()
	if s.Len() != 800 {
		t.Errorf("Len = %d", s.Len())
	}
}
