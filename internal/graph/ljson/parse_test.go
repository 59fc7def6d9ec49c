package ljson

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// stdDecode decodes standard JSON the way Value.Interface represents it.
func stdDecode(t testing.TB, s string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("bad expectation %q: %v", s, err)
	}
	return v
}

func TestParseAccepts(t *testing.T) {
	tests := []struct {
		name, in, want string // want is standard JSON with the same meaning
	}{
		{"object", `{"a":1,"b":[true,false,null],"c":{"d":"e"}}`, `{"a":1,"b":[true,false,null],"c":{"d":"e"}}`},
		{"scalars", ` "x" `, `"x"`},
		{"number kept literally", `123456789012345678901234567890`, `123456789012345678901234567890`},
		{"number forms", `[0,-0,1.5,-2e10,3E+2,4e-2]`, `[0,-0,1.5,-2e10,3E+2,4e-2]`},
		{"unquoted keys", `{ userPrincipalName: "a@b.com", addressableUserName: "A B", groupTag: "X" }`,
			`{"userPrincipalName":"a@b.com","addressableUserName":"A B","groupTag":"X"}`},
		{"unquoted key chars", `{@odata.type: 1, a_b$c-d: 2, 9lives: 3}`, `{"@odata.type":1,"a_b$c-d":2,"9lives":3}`},
		{"trailing comma object", `{"showInstallationProgress": "True", "installProgressTimeoutInMinutes": "60", }`,
			`{"showInstallationProgress":"True","installProgressTimeoutInMinutes":"60"}`},
		{"trailing comma array", `[1, 2, ]`, `[1,2]`},
		{"bom", "\xEF\xBB\xBF{\"a\": 1}", `{"a":1}`},
		{"escapes", `"\"\\\/\b\f\n\r\t\u00e9\u20AC\ud83d\ude00"`, `"\"\\/\b\f\n\r\té€😀"`},
		{"utf8", `"héllo 😀"`, `"héllo 😀"`},
		{"nul escape", `"a\u0000b"`, `"a\u0000b"`},
		{"empty containers", `{"a":{},"b":[]}`, `{"a":{},"b":[]}`},
		{"crlf whitespace", "{\r\n\t\"a\" :\r\n 1\r\n}\r\n", `{"a":1}`},
		{"depth 64", strings.Repeat("[", 64) + strings.Repeat("]", 64), strings.Repeat("[", 64) + strings.Repeat("]", 64)},
		{"many keys", manyKeys(40, false), manyKeys(40, false)},
		{"case differs is not duplicate", `{"a":1,"A":2}`, `{"a":1,"A":2}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Parse([]byte(tt.in))
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got, want := v.Interface(), stdDecode(t, tt.want); !reflect.DeepEqual(got, want) {
				t.Errorf("Parse(%q) = %#v, want %#v", tt.in, got, want)
			}
		})
	}
}

// manyKeys builds an object with n members k0..k(n-1), repeating k0 at the
// end when dup is set.
func manyKeys(n int, dup bool) string {
	var b bytes.Buffer
	b.WriteString("{")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"k` + string(rune('A'+i%26)) + string(rune('a'+i/26)) + `":1`)
	}
	if dup {
		b.WriteString(`,"kAa":2`)
	}
	b.WriteString("}")
	return b.String()
}

func TestParseOrder(t *testing.T) {
	v, err := Parse([]byte(`{z: 1, a: 2, m: {y: 3, b: 4}}`))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range v.Members {
		names = append(names, m.Name)
	}
	if got := strings.Join(names, ","); got != "z,a,m" {
		t.Errorf("member order %s, want z,a,m", got)
	}
	if inner, ok := v.Lookup("m"); !ok || inner.Members[0].Name != "y" || inner.Members[1].Value.Text != "4" {
		t.Errorf("Lookup(m) = %+v, %v", inner, ok)
	}
	if _, ok := v.Lookup("M"); ok {
		t.Error("Lookup is case-sensitive")
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, in  string
		line, col int
		msg       string
	}{
		{"empty", ``, 1, 1, "unexpected end of input"},
		{"missing colon", `{ userPrincipalName: "a@b.com", groupTag "X" }`, 1, 42, `expected ':' after property name "groupTag"`},
		{"duplicate key", `{"a": 1, "b": 2, "a": 3}`, 1, 18, `duplicate property name "a"`},
		{"duplicate key large object", manyKeys(40, true), 1, 322, `duplicate property name "kAa"`},
		{"line comment", "{\n  // hi\n  \"a\": 1}", 2, 3, "comments are not allowed"},
		{"block comment", `[1 /* x */]`, 1, 4, "comments are not allowed"},
		{"NaN", `{"a": NaN}`, 1, 7, "NaN and Infinity"},
		{"Infinity", `[Infinity]`, 1, 2, "NaN and Infinity"},
		{"minus Infinity", `[-Infinity]`, 1, 2, "NaN and Infinity"},
		{"capital True", `{"a": True}`, 1, 7, `invalid literal "True"`},
		{"unquoted value", `{"a": hello}`, 1, 7, `invalid literal "hello"`},
		{"single quotes", `{'a': 1}`, 1, 2, "invalid character '\\'' looking for property name"},
		{"double trailing comma", `[1,,]`, 1, 4, "invalid character ',' looking for beginning of value"},
		{"lone comma array", `[,]`, 1, 2, "invalid character ','"},
		{"lone comma object", `{,}`, 1, 2, "looking for property name"},
		{"double comma object", `{"a":1,,}`, 1, 8, "looking for property name"},
		{"missing comma", `{"a":1 "b":2}`, 1, 8, `after value of property "a" (expected ',' or '}')`},
		{"missing bracket", `[1 2]`, 1, 4, "after array element"},
		{"unterminated object", `{"a":1`, 1, 7, "unexpected end of input"},
		{"unterminated string", `"abc`, 1, 5, "unexpected end of input in string"},
		{"trailing data", `{} {}`, 1, 4, "after top-level value"},
		{"trailing garbage", `1 x`, 1, 3, "after top-level value"},
		{"leading zero", `[01]`, 1, 2, `invalid number "01"`},
		{"plus sign", `[+1]`, 1, 2, "invalid character '+'"},
		{"bare fraction", `[.5]`, 1, 2, `invalid number ".5"`},
		{"trailing dot", `[1.]`, 1, 2, `invalid number "1."`},
		{"hex", `[0x1F]`, 1, 2, `invalid number "0x1F"`},
		{"bad exponent", `[1e]`, 1, 2, `invalid number "1e"`},
		{"raw newline in string", "\"a\nb\"", 1, 3, "control character U+000A"},
		{"raw tab in string", "\"a\tb\"", 1, 3, "control character U+0009"},
		{"invalid utf8", "\"a\xffb\"", 1, 3, "invalid UTF-8"},
		{"encoded surrogate", "\"\xed\xa0\x80\"", 1, 2, "invalid UTF-8"},
		{"lone high surrogate", `"\ud83d"`, 1, 2, "unpaired surrogate"},
		{"lone low surrogate", `"\ude00x"`, 1, 2, "unpaired surrogate"},
		{"high then non-low", `"\ud83d\u0041"`, 1, 2, "unpaired surrogate"},
		{"bad escape", `"\x"`, 1, 2, "invalid escape"},
		{"short unicode escape", `"\u12"`, 1, 2, `invalid \u escape`},
		{"depth 65", strings.Repeat("[", 65) + strings.Repeat("]", 65), 1, 65, "maximum depth of 64"},
		{"depth objects", strings.Repeat(`{"a":`, 65) + "1" + strings.Repeat("}", 65), 1, 321, "maximum depth"},
		{"bom only", "\xEF\xBB\xBF", 1, 1, "unexpected end of input"},
		{"bom twice", "\xEF\xBB\xBF\xEF\xBB\xBF1", 1, 1, "invalid character"},
		{"bom in middle", "[\xEF\xBB\xBF1]", 1, 2, "invalid character"},
		{"unicode column", `{"é": 1 x}`, 1, 9, "after value"},
		{"second line", "{\n  \"a\": 1,\n  \"b\" 2\n}", 3, 7, `expected ':' after property name "b"`},
		{"control char outside", "\x01", 1, 1, "invalid character U+0001"},
		{"non-ascii unquoted key", `{é: 1}`, 1, 2, "invalid character 'é' looking for property name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error = %v, want *SyntaxError", tt.in, err)
			}
			if se.Line != tt.line || se.Column != tt.col || !strings.Contains(se.Msg, tt.msg) {
				t.Errorf("Parse(%q) = line %d col %d %q; want line %d col %d containing %q",
					tt.in, se.Line, se.Column, se.Msg, tt.line, tt.col, tt.msg)
			}
		})
	}
}

func TestSyntaxErrorFormat(t *testing.T) {
	_, err := Parse([]byte(`{ groupTag "X" }`))
	want := `invalid JSON at line 1, column 12: expected ':' after property name "groupTag"`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	_, err = Parse([]byte("\xEF\xBB\xBF[1,,]"))
	if se := (*SyntaxError)(nil); !errors.As(err, &se) || se.Offset != 6 || se.Column != 4 {
		t.Errorf("BOM-shifted error = %+v, want offset 6 column 4", err)
	}
}
