package rule

import (
	"unicode"
	"unicode/utf8"
)

// Case-insensitive comparison follows strings.EqualFold (Unicode simple
// folding): two strings are equal when their runes pair up one-to-one and
// each pair lies in the same unicode.SimpleFold orbit. Literals are folded
// once, at parse time, into a key in which every rune is replaced by a
// canonical member of its orbit; values are then folded rune by rune while
// being compared, with an ASCII fast path and no allocation.

// foldRune returns the canonical member of r's case-folding orbit: the ASCII
// lower-case letter when the orbit has one (so K, k and U+212A KELVIN SIGN
// all give 'k'), otherwise the orbit's smallest rune.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < utf8.RuneSelf {
			return foldRune(f)
		}
		least = min(least, f)
	}
	return least
}

// appendFold appends the folded key of s to dst. It stops and reports false
// as soon as the key would exceed limit bytes (limit < 0: no limit).
func appendFold(dst []byte, s string, limit int) ([]byte, bool) {
	base := len(dst)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
		} else {
			r, w := utf8.DecodeRuneInString(s[i:])
			dst = utf8.AppendRune(dst, foldRune(r))
			i += w
		}
		if limit >= 0 && len(dst)-base > limit {
			return dst, false
		}
	}
	return dst, true
}

// foldString returns the folded key of s.
func foldString(s string) string {
	b, _ := appendFold(make([]byte, 0, len(s)), s, -1)
	return string(b)
}

// foldPrefix reports whether s starts with runes whose folded form is key,
// and how many bytes of s they span.
func foldPrefix(s, key string) (int, bool) {
	i, j := 0, 0
	for j < len(key) {
		if i >= len(s) {
			return 0, false
		}
		c, k := s[i], key[j]
		if c < utf8.RuneSelf && k < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != k {
				return 0, false
			}
			i++
			j++
			continue
		}
		sr, sw := utf8.DecodeRuneInString(s[i:])
		kr, kw := utf8.DecodeRuneInString(key[j:])
		if foldRune(sr) != kr {
			return 0, false
		}
		i += sw
		j += kw
	}
	return i, true
}

// equalKey reports whether s folds to key.
func equalKey(s, key string) bool {
	n, ok := foldPrefix(s, key)
	return ok && n == len(s)
}

// hasPrefixKey reports whether s starts with something that folds to key.
func hasPrefixKey(s, key string) bool {
	_, ok := foldPrefix(s, key)
	return ok
}

// containsKey reports whether some substring of s, starting on a rune
// boundary, folds to key.
func containsKey(s, key string) bool {
	if key == "" {
		return true
	}
	for i := 0; i < len(s); {
		if _, ok := foldPrefix(s[i:], key); ok {
			return true
		}
		if s[i] < utf8.RuneSelf {
			i++
		} else {
			_, w := utf8.DecodeRuneInString(s[i:])
			i += w
		}
	}
	return false
}
