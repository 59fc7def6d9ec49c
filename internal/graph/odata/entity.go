package odata

import "strings"

// Entity is one row a Query is applied to. Field returns the value stored
// under a canonical property path (the spelling used as the Schema key) and
// whether the entity has it. Values should be string, bool, int64, float64,
// time.Time, []string or nil; other integer and float widths, pointers to
// those types, []any of strings and fmt.Stringer are converted. A missing
// property and a nil value both compare equal to null.
type Entity interface {
	Field(path string) (any, bool)
}

// MapEntity is an Entity backed by a map keyed by canonical property path.
// A path "a/b" is looked up as the key "a/b" first and, failing that, by
// descending into a nested map[string]any (or MapEntity) stored under "a".
// Keys are matched exactly, not ignoring case. A nil MapEntity has no
// properties.
type MapEntity map[string]any

// Field implements Entity.
func (m MapEntity) Field(path string) (any, bool) {
	if v, ok := m[path]; ok {
		return v, true
	}
	head, rest, nested := strings.Cut(path, "/")
	if !nested {
		return nil, false
	}
	switch sub := m[head].(type) {
	case MapEntity:
		return sub.Field(rest)
	case map[string]any:
		return MapEntity(sub).Field(rest)
	}
	return nil, false
}
