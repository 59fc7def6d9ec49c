package graph

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// The odata package has no isof(); the mobileApps list handles it here.
// Conditions joined to the rest of $filter with "and" are taken out:
//
//	isof('microsoft.graph.win32LobApp')
//	(isof('microsoft.graph.win32LobApp') or isof('microsoft.graph.windowsMobileMSI'))
//	not(isof('microsoft.graph.win32CatalogApp'))
//
// and the rest of $filter goes to the odata package. The type conditions
// travel in @odata.nextLink as the parameter isofParam, so every page
// applies them. isof() anywhere else (under "or" with other conditions)
// is refused with a message saying so.
const isofParam = "whiteglove.isof"

var isofRE = regexp.MustCompile(`(?i)^isof\(\s*'([^']*)'\s*\)$`)

// typeFilter is a conjunction of type conditions: each of anyOf must
// match one of its types, and none of noneOf may match.
type typeFilter struct {
	anyOf  [][]string
	noneOf []string
}

// matches reports whether a mobileApp of Graph type typ passes.
func (f typeFilter) matches(typ string) bool {
	for _, set := range f.anyOf {
		ok := false
		for _, t := range set {
			ok = ok || isMobileAppType(typ, t)
		}
		if !ok {
			return false
		}
	}
	for _, t := range f.noneOf {
		if isMobileAppType(typ, t) {
			return false
		}
	}
	return true
}

// takeIsOf moves the isof() conditions of r's $filter into a typeFilter
// and returns a request whose query carries them in isofParam instead.
func takeIsOf(r *http.Request) (*http.Request, typeFilter, error) {
	var f typeFilter
	q := r.URL.Query()
	for _, enc := range q[isofParam] {
		if err := f.addEncoded(enc); err != nil {
			return nil, f, err
		}
	}
	fkey, ftext := "", ""
	for k, v := range q {
		if strings.EqualFold(strings.TrimPrefix(k, "$"), "filter") && len(v) == 1 {
			fkey, ftext = k, v[0]
		}
	}
	if fkey == "" || !hasIsOf(ftext) {
		return r, f, nil
	}
	var kept []string
	for _, c := range conjuncts(ftext) {
		cond := stripParens(c)
		set, neg, ok, err := isofCondition(cond)
		switch {
		case err != nil:
			return nil, f, err
		case !ok:
			kept = append(kept, strings.TrimSpace(c))
		case neg:
			f.noneOf = append(f.noneOf, set...)
			q.Add(isofParam, "!"+set[0])
		default:
			f.anyOf = append(f.anyOf, set)
			q.Add(isofParam, strings.Join(set, "|"))
		}
	}
	q.Del(fkey)
	if len(kept) > 0 {
		q.Set("$filter", strings.Join(kept, " and "))
	}
	r = r.Clone(r.Context())
	u := *r.URL
	u.RawQuery = q.Encode()
	r.URL = &u
	return r, f, nil
}

// isofCondition recognizes isof('T'), not isof('T') and an or-chain of
// isof()s. ok is false for conditions without isof; err reports isof used
// in a way this filter does not support.
func isofCondition(c string) (types []string, neg, ok bool, err error) {
	if !hasIsOf(c) {
		return nil, false, false, nil
	}
	lower := strings.ToLower(c)
	if strings.HasPrefix(lower, "not") && len(c) > 3 && (c[3] == ' ' || c[3] == '(') {
		t, err := isofType(stripParens(c[3:]))
		return []string{t}, true, true, err
	}
	for _, alt := range splitTop(c, "or") {
		t, err := isofType(stripParens(alt))
		if err != nil {
			return nil, false, false, err
		}
		types = append(types, t)
	}
	return types, false, true, nil
}

func isofType(c string) (string, error) {
	m := isofRE.FindStringSubmatch(strings.TrimSpace(c))
	if m == nil {
		return "", fmt.Errorf("isof() is supported as isof('microsoft.graph.<type>'), alone or negated with not, "+
			"or-ed only with other isof()s and joined to the rest of $filter with and; found %q", strings.TrimSpace(c))
	}
	t, ok := mobileAppType(m[1])
	if !ok {
		return "", fmt.Errorf("isof(): %q is not a mobileApp type", m[1])
	}
	return t, nil
}

// addEncoded reads one isofParam value: "a|b" (any of) or "!a" (not).
func (f *typeFilter) addEncoded(enc string) error {
	if t, ok := strings.CutPrefix(enc, "!"); ok {
		typ, known := mobileAppType(t)
		if !known {
			return fmt.Errorf("%s: %q is not a mobileApp type", isofParam, t)
		}
		f.noneOf = append(f.noneOf, typ)
		return nil
	}
	var set []string
	for _, t := range strings.Split(enc, "|") {
		typ, known := mobileAppType(t)
		if !known {
			return fmt.Errorf("%s: %q is not a mobileApp type", isofParam, t)
		}
		set = append(set, typ)
	}
	f.anyOf = append(f.anyOf, set)
	return nil
}

// conjuncts splits s on its top-level "and"s, looking inside parentheses
// that enclose a conjunction: "(a and (b and c))" gives a, b, c.
func conjuncts(s string) []string {
	var out []string
	for _, p := range splitTop(s, "and") {
		inner := stripParens(p)
		if inner != strings.TrimSpace(p) && len(splitTop(inner, "and")) > 1 {
			out = append(out, conjuncts(inner)...)
			continue
		}
		out = append(out, p)
	}
	return out
}

// splitTop splits s on the keyword op ("and", "or") where it stands as a
// word outside quotes and parentheses.
func splitTop(s, op string) []string {
	var parts []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			quoted = !quoted // '' inside a literal toggles twice: harmless
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case depth == 0 && i > 0 && isSpace(s[i-1]) && i+len(op) < len(s) && strings.EqualFold(s[i:i+len(op)], op) &&
			(isSpace(s[i+len(op)]) || s[i+len(op)] == '('):
			parts = append(parts, s[start:i])
			start = i + len(op)
		}
	}
	return append(parts, s[start:])
}

// stripParens removes parentheses that enclose all of s.
func stripParens(s string) string {
	s = strings.TrimSpace(s)
	for len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' && closes(s) == len(s)-1 {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

// closes returns the index of the parenthesis closing s[0].
func closes(s string) int {
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// hasIsOf reports whether s calls isof() outside string literals.
func hasIsOf(s string) bool {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\'':
			quoted = !quoted
		case quoted:
		case i+4 <= len(s) && strings.EqualFold(s[i:i+4], "isof") && (i == 0 || !isIdentByte(s[i-1])):
			j := i + 4
			for j < len(s) && isSpace(s[j]) {
				j++
			}
			if j < len(s) && s[j] == '(' {
				return true
			}
		}
	}
	return false
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
