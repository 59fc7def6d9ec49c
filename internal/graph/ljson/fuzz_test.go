package ljson

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fuzzSeeds are shared by both fuzz targets (more live in testdata/fuzz).
var fuzzSeeds = []string{
	psDeviceBody, psESPBody, psProfileBody,
	`{"a":[1,2.5e3,-0,"x\u00e9\ud83d\ude00",true,false,null],"b":{}}`,
	`{"@odata.type":"#microsoft.graph.x","members@odata.bind":["u"],"count":"60","flag":"True"}`,
	`{a:1,}`, `[1,]`, "\xEF\xBB\xBF{}", `{"a":1,"a":2}`, `{"a":1,"A":2}`, `"\ud800"`, "\"\xff\"",
	`[NaN]`, `{"when":"2024-01-02T03:04:05.123+01:00","ref":"0F8FAD5B-D9CB-469F-A165-70867728950E"}`,
	`{"parts":[{"password":"p"}],"tags":["a"],"extra":{"x":[null]},"color":"RED"}`,
	strings.Repeat("[", 64) + strings.Repeat("]", 64),
}

// fuzzSchema covers every Kind, nesting and binds.
var fuzzSchema = &Schema{
	Name:      "fuzz",
	AllowBind: true,
	Props: mergeProps(widgetSchema.Props, map[string]Prop{
		"id":   {ReadOnly: true},
		"oobe": {Kind: Complex, Schema: oobeSchema, Nullable: true},
	}),
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Parse(data)
		valid := json.Valid(data)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line < 1 || se.Column < 1 || se.Offset < 0 || se.Offset > len(data) {
				t.Fatalf("Parse(%q) error %#v is not a sane *SyntaxError", data, err)
			}
			if valid && !strictRejection(se.Msg) {
				t.Fatalf("Parse(%q) rejected valid JSON: %v", data, err)
			}
			return
		}
		got := v.Interface()
		if valid {
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.UseNumber()
			var want any
			if err := dec.Decode(&want); err != nil {
				t.Fatalf("encoding/json: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Parse(%q) = %#v, encoding/json = %#v", data, got, want)
			}
		}
		// Re-encoding as standard JSON must parse to the same thing.
		enc, err := json.Marshal(got)
		if err != nil {
			t.Fatalf("Marshal(%#v): %v", got, err)
		}
		v2, err := Parse(enc)
		if err != nil {
			t.Fatalf("Parse(Marshal(Parse(%q))) = %v", data, err)
		}
		if !reflect.DeepEqual(v2.Interface(), got) {
			t.Fatalf("round trip of %q changed the value", data)
		}
	})
}

// strictRejection reports whether msg is one of the things Parse rejects
// on purpose although encoding/json accepts it.
func strictRejection(msg string) bool {
	for _, s := range []string{"duplicate property name", "invalid UTF-8", "unpaired surrogate", "maximum depth"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		obj, err := Decode(data, fuzzSchema)
		if err != nil {
			var se *SyntaxError
			var e *Error
			if err != ErrEmptyBody && !errors.As(err, &se) && !errors.As(err, &e) {
				t.Fatalf("Decode(%q) error %T %v", data, err, err)
			}
			if _, err2 := Decode(data, fuzzSchema); err2 == nil || err2.Error() != err.Error() {
				t.Fatalf("Decode(%q) not deterministic: %v then %v", data, err, err2)
			}
			return
		}
		if strings.HasPrefix(obj.Type, "#") {
			t.Fatalf("Type %q not normalised", obj.Type)
		}
		for name, val := range obj.Fields {
			p, ok := fuzzSchema.Props[name]
			if !ok || p.ReadOnly {
				t.Fatalf("Decode(%q) stored %q", data, name)
			}
			checkKind(t, name, p, val)
		}
	})
}

// checkKind fails unless val has the Go type p.Kind promises.
func checkKind(t *testing.T, name string, p Prop, val any) {
	t.Helper()
	if val == nil {
		if !p.Nullable {
			t.Fatalf("%s: nil for non-nullable property", name)
		}
		return
	}
	var ok bool
	switch p.Kind {
	case String, Guid, Enum:
		_, ok = val.(string)
	case Bool:
		_, ok = val.(bool)
	case Int:
		var n int64
		n, ok = val.(int64)
		ok = ok && (p.Min == nil || n >= *p.Min) && (p.Max == nil || n <= *p.Max)
	case Float:
		_, ok = val.(float64)
	case DateTime:
		_, ok = val.(time.Time)
	case StringArray:
		_, ok = val.([]string)
	case Complex:
		_, ok = val.(map[string]any)
	case ComplexArray:
		_, ok = val.([]map[string]any)
	case Any:
		_, ok = val.(Value)
	}
	if !ok {
		t.Fatalf("%s: %T %v does not fit %v", name, val, val, p.Kind)
	}
}
