package ljson

import (
	"fmt"
	"strconv"
	"strings"
)

// Decode parses data with [Parse] and validates it against s.
//
// The body must be a JSON object. Property names match the schema
// case-insensitively and are stored under their canonical spelling; each
// property may appear once (in any spelling). "@odata.type" is captured,
// normalised, into Object.Type. "<nav>@odata.bind" is collected into
// Object.Binds when s.AllowBind is set and is an error otherwise. Every
// other "@odata.*" or "<prop>@odata.*" annotation is ignored. ReadOnly
// properties are accepted and dropped. Anything else unknown is an error.
//
// Errors are [ErrEmptyBody], [*SyntaxError] or [*Error]; when several
// problems exist the first in document order is reported.
func Decode(data []byte, s *Schema) (*Object, error) {
	if isBlank(data) {
		return nil, ErrEmptyBody
	}
	v, err := Parse(data)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, &Error{Msg: "no schema to validate the request body against"}
	}
	d := decoder{on: ""}
	if s.Name != "" {
		d.on = " on " + s.Name
	}
	if v.Type != ObjectType {
		return nil, &Error{Msg: fmt.Sprintf("request body must be a JSON object, found %s", describe(v))}
	}
	obj := &Object{}
	obj.Fields, obj.Type, obj.Binds, err = d.object(v, s, "", s.AllowBind)
	if err != nil {
		return nil, err
	}
	return obj, nil
}

// isBlank reports whether data holds nothing but a byte order mark and
// JSON whitespace.
func isBlank(data []byte) bool {
	if len(data) >= len(bom) && string(data[:len(bom)]) == string(bom) {
		data = data[len(bom):]
	}
	for _, c := range data {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// decoder carries per-call state for Decode.
type decoder struct {
	on string // " on <entity>" for messages, or ""
}

// errf builds an Error about the property at path.
func (d *decoder) errf(path, format string, args ...any) *Error {
	return &Error{Property: path, Msg: fmt.Sprintf("property %q%s: %s", path, d.on, fmt.Sprintf(format, args...))}
}

// join appends a property name to a path prefix.
func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// index appends an array index to a path.
func index(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

// object validates the members of v against s. Binds are accepted only
// when allowBind is set.
func (d *decoder) object(v Value, s *Schema, prefix string, allowBind bool) (map[string]any, string, map[string][]string, error) {
	fields := make(map[string]any, len(v.Members))
	var typ string
	var binds map[string][]string
	seen := make(map[string]struct{}, len(v.Members))
	once := func(key, path string) error {
		if _, dup := seen[key]; dup {
			return &Error{Property: path, Msg: fmt.Sprintf("property %q%s is specified more than once", path, d.on)}
		}
		seen[key] = struct{}{}
		return nil
	}
	for _, m := range v.Members {
		path := join(prefix, m.Name)
		if at := strings.IndexByte(m.Name, '@'); at >= 0 {
			prop, term := m.Name[:at], m.Name[at+1:]
			if !hasPrefixFold(term, "odata.") {
				return nil, "", nil, &Error{Property: path, Msg: fmt.Sprintf("unknown property %q%s", path, d.on)}
			}
			switch {
			case prop == "" && strings.EqualFold(term, "odata.type"):
				if err := once("@odata.type", path); err != nil {
					return nil, "", nil, err
				}
				if m.Value.Type != StringType {
					return nil, "", nil, d.errf(path, "expected a string, found %s", describe(m.Value))
				}
				typ = NormalizeODataType(m.Value.Text)
			case prop != "" && strings.EqualFold(term, "odata.bind"):
				if !allowBind {
					return nil, "", nil, d.errf(path, "binding navigation properties is not supported here")
				}
				nav := prop
				if canon, ok := Canonical(s, prop); ok {
					nav = canon
				}
				if err := once("@odata.bind "+strings.ToLower(nav), path); err != nil {
					return nil, "", nil, err
				}
				refs, err := d.bindRefs(m.Value, path)
				if err != nil {
					return nil, "", nil, err
				}
				if binds == nil {
					binds = make(map[string][]string)
				}
				binds[nav+"@odata.bind"] = refs
			}
			continue // other OData annotations are ignored
		}
		canon, p, ok := lookup(s, m.Name)
		if !ok {
			return nil, "", nil, &Error{Property: path, Msg: fmt.Sprintf("unknown property %q%s", path, d.on)}
		}
		path = join(prefix, canon)
		if err := once(canon, path); err != nil {
			return nil, "", nil, err
		}
		if p.ReadOnly {
			continue
		}
		val, err := d.convert(m.Value, p, path)
		if err != nil {
			return nil, "", nil, err
		}
		fields[canon] = val
	}
	return fields, typ, binds, nil
}

// bindRefs accepts a string or an array of strings (entity URLs or ids).
func (d *decoder) bindRefs(v Value, path string) ([]string, error) {
	const want = "expected a URL string or an array of URL strings"
	switch v.Type {
	case StringType:
		if v.Text == "" {
			return nil, d.errf(path, "%s, found an empty string", want)
		}
		return []string{v.Text}, nil
	case ArrayType:
		refs := make([]string, 0, len(v.Items))
		for i, it := range v.Items {
			if it.Type != StringType || it.Text == "" {
				return nil, d.errf(index(path, i), "%s, found %s", want, describe(it))
			}
			refs = append(refs, it.Text)
		}
		return refs, nil
	}
	return nil, d.errf(path, "%s, found %s", want, describe(v))
}

// hasPrefixFold is strings.HasPrefix ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
