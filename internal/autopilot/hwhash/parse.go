package hwhash

import (
	"strconv"
	"strings"
)

// sameMACs reports whether macs are the adapters' addresses, in order.
func sameMACs(macs []string, adapters []NetworkAdapter) bool {
	if len(macs) != len(adapters) {
		return false
	}
	for i, m := range macs {
		a, ok1 := parseMAC(m)
		b, ok2 := parseMAC(adapters[i].MAC)
		if !ok1 || !ok2 || a != b {
			return false
		}
	}
	return true
}

// parseVersion parses "major.minor.build.rev" ("" is 0.0.0.0) into the two
// u32 of VS_FIXEDFILEINFO.
func parseVersion(s string) (ms, ls uint32, ok bool) {
	if s == "" {
		return 0, 0, true
	}
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return 0, 0, false
	}
	var n [4]uint32
	for i, p := range parts {
		x, err := strconv.ParseUint(p, 10, 16)
		if err != nil {
			return 0, 0, false
		}
		n[i] = uint32(x)
	}
	return n[0]<<16 | n[1], n[2]<<16 | n[3], true
}

// parseHexPairs parses len(out) hex byte pairs of s, each pair followed by
// sep except the last (sep 0: none).
func parseHexPairs(s string, sep byte, out []byte) bool {
	want := 2 * len(out)
	if sep != 0 {
		want += len(out) - 1
	}
	if len(s) != want {
		return false
	}
	for i := range out {
		hi, ok1 := unhex(s[0])
		lo, ok2 := unhex(s[1])
		if !ok1 || !ok2 {
			return false
		}
		out[i] = hi<<4 | lo
		s = s[2:]
		if sep != 0 && i < len(out)-1 {
			if s[0] != sep {
				return false
			}
			s = s[1:]
		}
	}
	return true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// parseMAC accepts "aa:bb:cc:dd:ee:ff", "AA-BB-CC-DD-EE-FF" or
// "aabbccddeeff".
func parseMAC(s string) (m [6]byte, ok bool) {
	switch len(s) {
	case 12:
		return m, parseHexPairs(s, 0, m[:])
	case 17:
		return m, parseHexPairs(s, s[2], m[:]) && (s[2] == ':' || s[2] == '-')
	}
	return m, false
}

// parseGUID parses a GUID string (optionally in braces, any case) into the
// 16 SMBIOS bytes, reversing formatGUID.
func parseGUID(s string) (u [16]byte, ok bool) {
	if len(s) == 38 && s[0] == '{' && s[37] == '}' {
		s = s[1:37]
	}
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, false
	}
	var g [16]byte
	hex := s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	if !parseHexPairs(hex, 0, g[:]) {
		return u, false
	}
	for i, j := range guidOrder {
		u[j] = g[i]
	}
	return u, true
}
