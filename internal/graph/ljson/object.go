package ljson

import "time"

// Object is a request body that passed [Decode].
type Object struct {
	// Type is the body's "@odata.type" without its leading '#'
	// ("microsoft.graph.user"), or "" when absent.
	Type string
	// Fields holds the properties present in the body under their canonical
	// names, converted as their Kind describes; nil stands for JSON null.
	// Absent and read-only properties are not included, so a PATCH handler
	// changes exactly the keys present.
	Fields map[string]any
	// Binds holds "<nav>@odata.bind" annotations (only when the schema sets
	// AllowBind), keyed "<nav>@odata.bind" with nav in canonical spelling
	// when the schema knows it. A single URL is stored as a one-element
	// slice. Nil when there are none.
	Binds map[string][]string
}

// Has reports whether the body contained the property (possibly as null).
// name is the canonical property name.
func (o *Object) Has(name string) bool {
	if o == nil {
		return false
	}
	_, ok := o.Fields[name]
	return ok
}

// IsNull reports whether the body set the property to JSON null.
func (o *Object) IsNull(name string) bool {
	if o == nil {
		return false
	}
	v, ok := o.Fields[name]
	return ok && v == nil
}

// field returns the property's value as a T; ok is false when the property
// is absent, null or of another type.
func field[T any](o *Object, name string) (T, bool) {
	var zero T
	if o == nil {
		return zero, false
	}
	v, ok := o.Fields[name].(T)
	return v, ok
}

// String returns a String, Guid or Enum property.
func (o *Object) String(name string) (string, bool) { return field[string](o, name) }

// Bool returns a Bool property.
func (o *Object) Bool(name string) (bool, bool) { return field[bool](o, name) }

// Int returns an Int property.
func (o *Object) Int(name string) (int64, bool) { return field[int64](o, name) }

// Float returns a Float property.
func (o *Object) Float(name string) (float64, bool) { return field[float64](o, name) }

// Time returns a DateTime property.
func (o *Object) Time(name string) (time.Time, bool) { return field[time.Time](o, name) }

// Strings returns a StringArray property.
func (o *Object) Strings(name string) ([]string, bool) { return field[[]string](o, name) }

// Map returns a Complex property.
func (o *Object) Map(name string) (map[string]any, bool) { return field[map[string]any](o, name) }

// Maps returns a ComplexArray property.
func (o *Object) Maps(name string) ([]map[string]any, bool) {
	return field[[]map[string]any](o, name)
}

// Raw returns an Any property.
func (o *Object) Raw(name string) (Value, bool) { return field[Value](o, name) }
