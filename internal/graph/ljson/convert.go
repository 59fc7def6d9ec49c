package ljson

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// convert validates v against p and returns the Go value to store.
func (d *decoder) convert(v Value, p Prop, path string) (any, error) {
	if v.Type == NullType {
		if p.Nullable {
			return nil, nil
		}
		return nil, d.errf(path, "null is not allowed")
	}
	switch p.Kind {
	case String:
		if v.Type != StringType {
			return nil, d.errf(path, "expected a string, found %s", describe(v))
		}
		return v.Text, d.checkString(v.Text, p, path)
	case Bool:
		return d.toBool(v, path)
	case Int:
		return d.toInt(v, p, path)
	case Float:
		return d.toFloat(v, p, path)
	case DateTime:
		if v.Type == StringType {
			if t, err := time.Parse(time.RFC3339Nano, v.Text); err == nil {
				return t.UTC(), nil
			}
		}
		return nil, d.errf(path, "expected an RFC 3339 date-time string, found %s", describe(v))
	case Guid:
		if v.Type != StringType || !isGUID(v.Text) {
			return nil, d.errf(path, "expected a GUID string (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), found %s", describe(v))
		}
		return strings.ToLower(v.Text), nil
	case Enum:
		return d.toEnum(v, p, path)
	case StringArray:
		if v.Type != ArrayType {
			return nil, d.errf(path, "expected an array of strings, found %s", describe(v))
		}
		out := make([]string, len(v.Items))
		for i, it := range v.Items {
			ip := index(path, i)
			if it.Type != StringType {
				return nil, d.errf(ip, "expected a string, found %s", describe(it))
			}
			if err := d.checkString(it.Text, p, ip); err != nil {
				return nil, err
			}
			out[i] = it.Text
		}
		return out, nil
	case Complex:
		return d.complex(v, p, path)
	case ComplexArray:
		if v.Type != ArrayType {
			return nil, d.errf(path, "expected an array of objects, found %s", describe(v))
		}
		out := make([]map[string]any, len(v.Items))
		for i, it := range v.Items {
			m, err := d.complex(it, p, index(path, i))
			if err != nil {
				return nil, err
			}
			out[i] = m
		}
		return out, nil
	case Any:
		return v, nil
	}
	return nil, d.errf(path, "unsupported schema kind %v", p.Kind)
}

// complex validates a nested object against p.Schema.
func (d *decoder) complex(v Value, p Prop, path string) (map[string]any, error) {
	if v.Type != ObjectType {
		return nil, d.errf(path, "expected an object, found %s", describe(v))
	}
	if p.Schema == nil {
		return nil, d.errf(path, "no schema for nested object")
	}
	fields, typ, _, err := d.object(v, p.Schema, path, false)
	if err != nil {
		return nil, err
	}
	if typ != "" {
		fields["@odata.type"] = typ
	}
	return fields, nil
}

// checkString enforces MaxLen and rejects NUL characters.
func (d *decoder) checkString(s string, p Prop, path string) error {
	if strings.IndexByte(s, 0) >= 0 {
		return d.errf(path, "string must not contain U+0000")
	}
	if p.MaxLen > 0 {
		if n := utf8.RuneCountInString(s); n > p.MaxLen {
			return d.errf(path, "string is %d characters long, the maximum is %d", n, p.MaxLen)
		}
	}
	return nil
}

// toBool accepts a boolean or the strings "true"/"false" in any case.
func (d *decoder) toBool(v Value, path string) (any, error) {
	switch {
	case v.Type == BoolType:
		return v.Bool, nil
	case v.Type == StringType && strings.EqualFold(v.Text, "true"):
		return true, nil
	case v.Type == StringType && strings.EqualFold(v.Text, "false"):
		return false, nil
	}
	return nil, d.errf(path, "expected a boolean, found %s", describe(v))
}

// numberText returns the literal of a number, or of a string that holds a
// strict JSON number.
func numberText(v Value) (string, bool) {
	switch v.Type {
	case NumberType:
		return v.Text, true
	case StringType:
		if v.Text != "" && isNumber(v.Text) {
			return v.Text, true
		}
	}
	return "", false
}

// isNumber reports whether s is exactly one JSON number literal.
func isNumber(s string) bool {
	p := parser{data: []byte(s)}
	if c := s[0]; c != '-' && (c < '0' || c > '9') {
		return false
	}
	_, err := p.number()
	return err == nil && p.pos == len(s)
}

// toInt accepts an integer or a string holding one, within int64 and p's
// bounds.
func (d *decoder) toInt(v Value, p Prop, path string) (any, error) {
	text, ok := numberText(v)
	if !ok || strings.ContainsAny(text, ".eE") {
		return nil, d.errf(path, "expected an integer, found %s", describe(v))
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return nil, d.errf(path, "integer %s is out of range", truncate(text, 32))
	}
	if (p.Min != nil && n < *p.Min) || (p.Max != nil && n > *p.Max) {
		return nil, d.errf(path, "%d is out of range (%s)", n, bounds(p))
	}
	return n, nil
}

// toFloat accepts a number or a string holding one, finite and within p's
// bounds.
func (d *decoder) toFloat(v Value, p Prop, path string) (any, error) {
	text, ok := numberText(v)
	if !ok {
		return nil, d.errf(path, "expected a number, found %s", describe(v))
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) {
		return nil, d.errf(path, "number %s is out of range", truncate(text, 32))
	}
	if (p.Min != nil && f < float64(*p.Min)) || (p.Max != nil && f > float64(*p.Max)) {
		return nil, d.errf(path, "%s is out of range (%s)", truncate(text, 32), bounds(p))
	}
	return f, nil
}

// bounds describes p.Min/p.Max for messages.
func bounds(p Prop) string {
	switch {
	case p.Min != nil && p.Max != nil:
		return "allowed: " + strconv.FormatInt(*p.Min, 10) + " to " + strconv.FormatInt(*p.Max, 10)
	case p.Min != nil:
		return "minimum " + strconv.FormatInt(*p.Min, 10)
	case p.Max != nil:
		return "maximum " + strconv.FormatInt(*p.Max, 10)
	}
	return ""
}

// toEnum matches a string case-insensitively against p.Enum.
func (d *decoder) toEnum(v Value, p Prop, path string) (any, error) {
	if v.Type == StringType {
		for _, e := range p.Enum {
			if strings.EqualFold(e, v.Text) {
				return e, nil
			}
		}
	}
	const show = 10
	var b strings.Builder
	for i, e := range p.Enum {
		if i == show {
			b.WriteString(", and " + strconv.Itoa(len(p.Enum)-show) + " more")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(e))
	}
	return nil, d.errf(path, "expected one of %s; found %s", b.String(), describe(v))
}

// isGUID reports whether s has the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}
