package rule

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// foldAlphabet mixes ASCII with runes whose folding is irregular: K/k and
// U+212A KELVIN SIGN, s and U+017F LONG S, ß/ẞ, Ω and U+2126 OHM SIGN, the
// three-member ǆ orbit, dotted/dotless i, and an invalid byte.
var foldAlphabet = []string{"a", "A", "k", "K", "\u212a", "s", "S", "\u017f", "ß", "ẞ", "ω", "Ω", "\u2126", "ǅ", "ǆ", "Ǆ", "i", "I", "İ", "ı", "\xff", "\ufffd", "é", "É", "[", "]", ":"}

func randFoldString(rng *rand.Rand, n int) string {
	var b strings.Builder
	for range rng.IntN(n + 1) {
		b.WriteString(foldAlphabet[rng.IntN(len(foldAlphabet))])
	}
	return b.String()
}

// runeBoundaries lists the byte offsets at which DecodeRuneInString starts.
func runeBoundaries(s string) []int {
	var out []int
	for i := 0; i < len(s); {
		out = append(out, i)
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return append(out, len(s))
}

func TestFoldMatchesEqualFold(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		a, b := randFoldString(rng, 6), randFoldString(rng, 3)
		key := foldString(b)
		if got, want := equalKey(a, key), strings.EqualFold(a, b); got != want {
			t.Fatalf("equalKey(%q, fold(%q)) = %v, EqualFold = %v", a, b, got, want)
		}
		bounds := runeBoundaries(a)
		wantPrefix, wantContains := false, false
		for _, i := range bounds {
			for _, j := range bounds {
				if j >= i && strings.EqualFold(a[i:j], b) {
					wantContains = true
					wantPrefix = wantPrefix || i == 0
				}
			}
		}
		if got := hasPrefixKey(a, key); got != wantPrefix {
			t.Fatalf("hasPrefixKey(%q, fold(%q)) = %v, want %v", a, b, got, wantPrefix)
		}
		if got := containsKey(a, key); got != wantContains {
			t.Fatalf("containsKey(%q, fold(%q)) = %v, want %v", a, b, got, wantContains)
		}
		// The index key of a value equals the literal's key exactly when
		// the two compare equal.
		if got, want := foldString(a) == key, strings.EqualFold(a, b); got != want {
			t.Fatalf("foldString(%q) == foldString(%q) is %v, EqualFold %v", a, b, got, want)
		}
	}
}

func TestFoldRuneIsCanonical(t *testing.T) {
	for r := rune(0); r <= 0x1ffff; r++ {
		c := foldRune(r)
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if foldRune(f) != c {
				t.Fatalf("foldRune(%U) = %U but foldRune(%U) = %U", r, c, f, foldRune(f))
			}
		}
	}
}

func TestAppendFoldLimit(t *testing.T) {
	if _, ok := appendFold(nil, "ABCD", 3); ok {
		t.Error("limit 3 accepted 4 bytes")
	}
	if b, ok := appendFold(nil, "AB\u212a", 3); !ok || string(b) != "abk" {
		t.Errorf("got %q %v", b, ok)
	}
}
