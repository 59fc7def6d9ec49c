package odata

import (
	"strconv"
	"strings"
)

// listItem is one comma-separated element of an option value, trimmed,
// with the byte offset where it starts.
type listItem struct {
	text string
	off  int
}

// splitList splits v at commas and trims spaces around each element.
func splitList(v string) []listItem {
	var items []listItem
	off := 0
	for {
		part, _, more := strings.Cut(v[off:], ",")
		lead := len(part) - len(strings.TrimLeft(part, " \t"))
		items = append(items, listItem{text: strings.TrimSpace(part), off: off + lead})
		if !more {
			return items
		}
		off += len(part) + 1
	}
}

// wordsAt splits an item at spaces, keeping each word's byte offset.
func wordsAt(it listItem) []listItem {
	var words []listItem
	s := it.text
	for i := 0; i < len(s); {
		if s[i] == ' ' || s[i] == '\t' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' {
			j++
		}
		words = append(words, listItem{text: s[i:j], off: it.off + i})
		i = j
	}
	return words
}

// parseNames parses a $select or $expand list against the allowed names,
// returning canonical names without duplicates. For $select, "*" alone
// means all properties and yields nil.
func parseNames(option, v string, allowed []string, star bool) ([]string, error) {
	if strings.ContainsAny(v, "()") {
		i := strings.IndexAny(v, "()")
		return nil, errAt(option, v, i, "expected a comma-separated list of names (nested query options are not supported) but found %s", quoteFound(v[i:i+1]))
	}
	items := splitList(v)
	if star && len(items) == 1 && items[0].text == "*" {
		return nil, nil
	}
	var out []string
	seen := map[string]bool{}
	for _, it := range items {
		if it.text == "" {
			return nil, errAt(option, v, it.off, "expected a name but found an empty list element")
		}
		name, ok := lookupName(allowed, it.text)
		if !ok {
			what := "a property name"
			if option == "$expand" {
				what = "a navigation property that can be expanded"
			}
			return nil, errAt(option, v, it.off, "expected %s but found %s", what, quoteFound(it.text))
		}
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out, nil
}

// parseOrderBy parses "a desc, b asc" against schema.
func parseOrderBy(v string, schema Schema) ([]OrderBy, error) {
	var out []OrderBy
	seen := map[string]bool{}
	for _, it := range splitList(v) {
		words := wordsAt(it)
		if len(words) == 0 {
			return nil, errAt("$orderby", v, it.off, "expected a property name but found an empty list element")
		}
		canon, kind, ok := schema.Lookup(words[0].text)
		if !ok {
			return nil, errAt("$orderby", v, it.off, "expected a property name but found unknown property %s", quoteFound(words[0].text))
		}
		if kind == StringCollection {
			return nil, errAt("$orderby", v, it.off, "expected a single-valued property but found %s (%s)", quoteFound(canon), kind)
		}
		if seen[canon] {
			return nil, errAt("$orderby", v, it.off, "expected each property once but found %s again", quoteFound(canon))
		}
		seen[canon] = true
		o := OrderBy{Property: canon}
		if len(words) > 1 {
			switch dir := words[1]; {
			case strings.EqualFold(dir.text, "desc"):
				o.Desc = true
			case strings.EqualFold(dir.text, "asc"):
			default:
				return nil, errAt("$orderby", v, dir.off, "expected 'asc' or 'desc' but found %s", quoteFound(dir.text))
			}
		}
		if len(words) > 2 {
			return nil, errAt("$orderby", v, words[2].off, "expected ',' or end of input but found %s", quoteFound(words[2].text))
		}
		out = append(out, o)
	}
	return out, nil
}

// parseCount parses a non-negative integer no larger than limit (a
// negative limit means no limit).
func parseCount(option, v string, limit int) (int, error) {
	s := strings.TrimSpace(v)
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || strings.HasPrefix(s, "+") {
		return 0, errOpt(option, "expected a non-negative integer but found %s", quoteFound(v))
	}
	if limit >= 0 && n > limit {
		return 0, errOpt(option, "expected an integer between 0 and %d but found %d", limit, n)
	}
	return n, nil
}

// parseBool parses "true" or "false", ignoring case.
func parseBool(option, v string) (bool, error) {
	switch s := strings.TrimSpace(v); {
	case strings.EqualFold(s, "true"):
		return true, nil
	case strings.EqualFold(s, "false"):
		return false, nil
	}
	return false, errOpt(option, "expected 'true' or 'false' but found %s", quoteFound(v))
}
