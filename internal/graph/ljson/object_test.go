package ljson

import (
	"reflect"
	"testing"
	"time"
)

func TestObjectHelpers(t *testing.T) {
	o, err := Decode([]byte(`{
		name: "ab", flag: "true", count: "7", big: 2.5, when: "2024-01-02T03:04:05Z",
		ref: "0F8FAD5B-D9CB-469F-A165-70867728950E", tags: null, parts: [{password: "p"}],
		extra: [1], id: "dropped?"
	}`), &Schema{Name: "w", Props: mergeProps(widgetSchema.Props, map[string]Prop{"id": {ReadOnly: true}})})
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := o.String("name"); !ok || s != "ab" {
		t.Errorf("String = %q, %v", s, ok)
	}
	if s, ok := o.String("ref"); !ok || s != "0f8fad5b-d9cb-469f-a165-70867728950e" {
		t.Errorf("String(guid) = %q, %v", s, ok)
	}
	if b, ok := o.Bool("flag"); !ok || !b {
		t.Errorf("Bool = %v, %v", b, ok)
	}
	if n, ok := o.Int("count"); !ok || n != 7 {
		t.Errorf("Int = %v, %v", n, ok)
	}
	if f, ok := o.Float("big"); !ok || f != 2.5 {
		t.Errorf("Float = %v, %v", f, ok)
	}
	if tm, ok := o.Time("when"); !ok || !tm.Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("Time = %v, %v", tm, ok)
	}
	if m, ok := o.Maps("parts"); !ok || !reflect.DeepEqual(m, []map[string]any{{"password": "p"}}) {
		t.Errorf("Maps = %v, %v", m, ok)
	}
	if v, ok := o.Raw("extra"); !ok || v.Type != ArrayType || v.Items[0].Text != "1" {
		t.Errorf("Raw = %v, %v", v, ok)
	}
	if !o.Has("tags") || !o.IsNull("tags") {
		t.Error("tags: want present and null")
	}
	if s, ok := o.Strings("tags"); ok || s != nil {
		t.Errorf("Strings(null) = %v, %v", s, ok)
	}
	if o.Has("id") || o.Has("color") || o.IsNull("color") || o.IsNull("name") {
		t.Error("Has/IsNull of absent or non-null property")
	}
	if _, ok := o.Int("name"); ok {
		t.Error("Int of a string property succeeded")
	}
	if _, ok := o.Map("parts"); ok {
		t.Error("Map of a ComplexArray property succeeded")
	}
	p, err := Decode([]byte(`{"passwordProfile": {"password": "x"}, "businessPhones": ["1"]}`), userSchema)
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := p.Map("passwordProfile"); !ok || m["password"] != "x" {
		t.Errorf("Map = %v, %v", m, ok)
	}
	if s, ok := p.Strings("businessPhones"); !ok || len(s) != 1 {
		t.Errorf("Strings = %v, %v", s, ok)
	}
	var nilObj *Object
	if nilObj.Has("x") || nilObj.IsNull("x") {
		t.Error("nil Object has properties")
	}
	if _, ok := nilObj.String("x"); ok {
		t.Error("nil Object String succeeded")
	}
}

func mergeProps(a, b map[string]Prop) map[string]Prop {
	out := make(map[string]Prop, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
