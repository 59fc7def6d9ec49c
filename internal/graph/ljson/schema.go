package ljson

import (
	"strconv"
	"strings"
)

// Kind says how [Decode] validates and converts one property, and which Go
// type ends up in [Object.Fields].
type Kind int

// The property kinds. The zero Kind is String, so Prop{MaxLen: 256} is a
// string property.
const (
	// String accepts a JSON string only (numbers and booleans are errors);
	// result string. Strings containing U+0000 are rejected.
	String Kind = iota
	// Bool accepts true/false and the strings "true"/"false" in any case;
	// result bool.
	Bool
	// Int accepts an integer literal or a string holding one (e.g. "60");
	// fractions and exponents are errors. Result int64, checked against
	// Min/Max (use them for Int32 properties).
	Int
	// Float accepts a number or a string holding one; result float64,
	// checked against Min/Max.
	Float
	// DateTime accepts an RFC 3339 string; result time.Time in UTC.
	DateTime
	// Guid accepts a canonical 8-4-4-4-12 hexadecimal string in any case;
	// result lower-case string.
	Guid
	// Enum accepts one of Prop.Enum, matched case-insensitively; result the
	// canonical spelling from Prop.Enum.
	Enum
	// StringArray accepts an array of strings; result []string. MaxLen
	// applies to each element.
	StringArray
	// Complex accepts an object validated against Prop.Schema (an OData
	// complex type); result map[string]any keyed by canonical names. A
	// nested "@odata.type" is kept, normalised, under the key "@odata.type".
	Complex
	// ComplexArray accepts an array of such objects; result []map[string]any.
	ComplexArray
	// Any accepts any JSON value; result the raw [Value].
	Any
)

var kindNames = [...]string{"String", "Bool", "Int", "Float", "DateTime", "Guid", "Enum", "StringArray", "Complex", "ComplexArray", "Any"}

// String returns the name of the kind, e.g. "StringArray".
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Prop describes one property of a [Schema].
type Prop struct {
	// Kind selects validation and the result type.
	Kind Kind
	// Enum lists the allowed values of an Enum property, canonically spelled.
	Enum []string
	// Nullable allows JSON null, stored as nil in Object.Fields. Without it
	// null is an error, whatever the Kind.
	Nullable bool
	// MaxLen, when positive, limits String values (and each StringArray
	// element) to that many characters (runes).
	MaxLen int
	// Min and Max, when set, bound Int and Float values (inclusive).
	Min, Max *int64
	// Schema describes the members of a Complex or ComplexArray property.
	Schema *Schema
	// ReadOnly properties are accepted whatever their value (clients echo
	// back id, createdDateTime and the like) and left out of Object.Fields.
	ReadOnly bool
}

// Schema describes the properties an entity accepts in a request body.
// Property names must not differ only in case.
type Schema struct {
	// Name is the entity name used in error messages, e.g. "user".
	Name string
	// Props maps canonical property names to their descriptions.
	Props map[string]Prop
	// AllowBind accepts "<nav>@odata.bind" annotations at the top level of
	// the body and collects them in Object.Binds.
	AllowBind bool
}

// Canonical returns the canonical spelling of the property of s whose name
// matches name case-insensitively.
func Canonical(s *Schema, name string) (string, bool) {
	canon, _, ok := lookup(s, name)
	return canon, ok
}

// lookup finds a property by exact name, then case-insensitively.
func lookup(s *Schema, name string) (string, Prop, bool) {
	if s == nil {
		return "", Prop{}, false
	}
	if p, ok := s.Props[name]; ok {
		return name, p, true
	}
	for canon, p := range s.Props {
		if strings.EqualFold(canon, name) {
			return canon, p, true
		}
	}
	return "", Prop{}, false
}

// NormalizeODataType strips the leading '#' of an "@odata.type" value, so
// "#microsoft.graph.user" and "microsoft.graph.user" both become the latter.
func NormalizeODataType(s string) string {
	return strings.TrimPrefix(s, "#")
}
