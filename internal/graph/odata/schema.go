package odata

import (
	"sort"
	"strconv"
	"strings"
)

// Kind is the type of a property in a Schema. The zero Kind is not a valid
// type: a Schema entry with the zero Kind (or any value other than the
// constants below) is treated as if it were absent.
type Kind uint8

const (
	// String is a text property. Comparisons ignore case.
	String Kind = iota + 1
	// Bool is a true/false property.
	Bool
	// Int is an integer property (int64 at run time).
	Int
	// Float is a floating-point property (float64 at run time).
	Float
	// DateTime is a point in time (time.Time at run time).
	DateTime
	// Guid is an identifier held as a string; compared ignoring case.
	Guid
	// StringCollection is a list of strings ([]string at run time); it can
	// only be tested with any/all lambdas, length() or compared with null.
	StringCollection
	// Enum is an enumeration held as a string; compared like String.
	Enum

	// kindNull is the type of the null literal. It never appears in a Schema.
	kindNull
)

var kindNames = [...]string{
	String: "String", Bool: "Bool", Int: "Int", Float: "Float",
	DateTime: "DateTime", Guid: "Guid", StringCollection: "StringCollection",
	Enum: "Enum", kindNull: "Null",
}

// String returns the Kind's name, such as "String" or "DateTime"; an invalid
// Kind is reported as "Kind(n)".
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// valid reports whether k is one of the Kinds a Schema may hold.
func (k Kind) valid() bool { return k >= String && k <= Enum }

// stringish reports whether values of kind k are compared as strings.
func (k Kind) stringish() bool { return k == String || k == Guid || k == Enum }

// numeric reports whether values of kind k are numbers.
func (k Kind) numeric() bool { return k == Int || k == Float }

// Schema maps canonical property paths ("displayName",
// "state/deviceImportStatus") to their Kind. Lookups ignore case; the key's
// own spelling is the canonical form used in parsed queries and passed to
// Entity.Field. A nil or empty Schema has no properties, so every property
// reference is rejected.
type Schema map[string]Kind

// Lookup finds path ignoring case and returns its canonical spelling and
// Kind. An exact match wins; among several keys that differ only in case the
// smallest (byte order) is used. ok is false when the Schema has no such
// property or its Kind is not one of the constants above.
func (s Schema) Lookup(path string) (canonical string, kind Kind, ok bool) {
	if k, found := s[path]; found && k.valid() {
		return path, k, true
	}
	for key, k := range s {
		if !k.valid() || !strings.EqualFold(key, path) {
			continue
		}
		if !ok || key < canonical {
			canonical, kind, ok = key, k, true
		}
	}
	return canonical, kind, ok
}

// Names returns the Schema's property paths in sorted order; nil for an
// empty Schema.
func (s Schema) Names() []string {
	var names []string
	for key, k := range s {
		if k.valid() {
			names = append(names, key)
		}
	}
	sort.Strings(names)
	return names
}

// lookupName finds name ignoring case in a list of allowed names and returns
// its canonical spelling. ok is false when it is absent.
func lookupName(list []string, name string) (string, bool) {
	found := ""
	ok := false
	for _, n := range list {
		if n == name {
			return n, true
		}
		if strings.EqualFold(n, name) && (!ok || n < found) {
			found, ok = n, true
		}
	}
	return found, ok
}
