package odata

import "strings"

// Search is a parsed $search expression in Graph form, for example
// `"displayName:room" OR "serialNumber:ABC"`. It matches when any group
// matches, and a group matches when all of its terms match. A nil *Search
// matches everything.
type Search struct {
	// Groups are OR-ed together; the terms inside one group are AND-ed.
	// Never empty for a Search returned by ParseSearch.
	Groups [][]SearchTerm
}

// SearchTerm is one `"property:term"` clause. It matches an entity whose
// property value contains Term, ignoring case (for a collection: any
// element does). An absent or null property never matches.
type SearchTerm struct {
	// Property is the canonical schema path being searched.
	Property string
	// Term is the text to look for, with quoting removed; never empty.
	Term string
}

// ParseSearch parses a $search value. Clauses are double-quoted
// `"property:term"` (a backslash escapes `"` and `\` inside the quotes; an
// unquoted clause without spaces is also accepted) joined by AND or OR
// (ignoring case; adjacent clauses are AND-ed, AND binds tighter than OR).
// Properties must be String, Guid, Enum or StringCollection properties of
// schema. Errors are *Error values with Option "$search".
func ParseSearch(raw string, schema Schema) (*Search, error) {
	s := &Search{}
	var group []SearchTerm
	wantClause := true
	i := 0
	for {
		for i < len(raw) && raw[i] == ' ' {
			i++
		}
		if i == len(raw) {
			break
		}
		start := i
		text, quoted, end, err := searchClause(raw, i)
		if err != nil {
			return nil, err
		}
		i = end
		if !quoted && (strings.EqualFold(text, "AND") || strings.EqualFold(text, "OR")) {
			if wantClause {
				return nil, errAt("$search", raw, start, "expected a \"property:term\" clause but found %s", quoteFound(text))
			}
			if strings.EqualFold(text, "OR") {
				s.Groups = append(s.Groups, group)
				group = nil
			}
			wantClause = true
			continue
		}
		term, err := searchTerm(raw, start, text, schema)
		if err != nil {
			return nil, err
		}
		group = append(group, term)
		wantClause = false
	}
	if wantClause {
		return nil, errAt("$search", raw, len(raw), "expected a \"property:term\" clause but found end of input")
	}
	s.Groups = append(s.Groups, group)
	return s, nil
}

// searchClause reads one quoted or unquoted clause starting at raw[i].
func searchClause(raw string, i int) (text string, quoted bool, end int, err *Error) {
	if raw[i] != '"' {
		j := i
		for j < len(raw) && raw[j] != ' ' {
			j++
		}
		return raw[i:j], false, j, nil
	}
	var b strings.Builder
	for j := i + 1; j < len(raw); j++ {
		switch c := raw[j]; {
		case c == '\\' && j+1 < len(raw):
			j++
			b.WriteByte(raw[j])
		case c == '"':
			return b.String(), true, j + 1, nil
		default:
			b.WriteByte(c)
		}
	}
	return "", true, 0, errAt("$search", raw, i, "expected a closing '\"' but found end of input")
}

// searchTerm splits "property:term" and checks the property against schema.
func searchTerm(raw string, at int, text string, schema Schema) (SearchTerm, *Error) {
	prop, term, ok := strings.Cut(text, ":")
	prop = strings.TrimSpace(prop)
	term = strings.TrimSpace(term)
	if !ok || prop == "" || term == "" {
		return SearchTerm{}, errAt("$search", raw, at, "expected a \"property:term\" clause but found %s", quoteFound(text))
	}
	canon, kind, found := schema.Lookup(prop)
	if !found {
		return SearchTerm{}, errAt("$search", raw, at, "expected a property name but found unknown property %s", quoteFound(prop))
	}
	if !kind.stringish() && kind != StringCollection {
		return SearchTerm{}, errAt("$search", raw, at, "expected a string property but found %s (%s)", quoteFound(canon), kind)
	}
	return SearchTerm{Property: canon, Term: term}, nil
}

// Match reports whether e satisfies the search. A nil Search matches every
// entity; a nil Entity has no properties and so matches no term.
func (s *Search) Match(e Entity) bool {
	if s == nil {
		return true
	}
	if e == nil {
		return false
	}
	for _, g := range s.Groups {
		all := true
		for _, t := range g {
			if !t.Match(e) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// Match reports whether e's property contains the term, ignoring case.
func (t SearchTerm) Match(e Entity) bool {
	v, ok := e.Field(t.Property)
	if !ok {
		return false
	}
	switch v := normalize(v).(type) {
	case string:
		return containsFold(v, t.Term)
	case []string:
		for _, s := range v {
			if containsFold(s, t.Term) {
				return true
			}
		}
	}
	return false
}

// String returns the canonical form, e.g. `"displayName:a" AND "mail:b"`;
// "" for a nil Search.
func (s *Search) String() string {
	if s == nil {
		return ""
	}
	var b strings.Builder
	esc := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	for gi, g := range s.Groups {
		if gi > 0 {
			b.WriteString(" OR ")
		}
		for ti, t := range g {
			if ti > 0 {
				b.WriteString(" AND ")
			}
			b.WriteString(`"` + esc.Replace(t.Property+":"+t.Term) + `"`)
		}
	}
	return b.String()
}
