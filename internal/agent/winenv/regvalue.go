package winenv

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// Registry value types.
const (
	RegSZ       = "REG_SZ"
	RegExpandSZ = "REG_EXPAND_SZ"
	RegMultiSZ  = "REG_MULTI_SZ"
	RegDWORD    = "REG_DWORD"
	RegQWORD    = "REG_QWORD"
	RegBinary   = "REG_BINARY"
)

// Value is a registry value. Data is text whatever the type: the string
// for REG_SZ and REG_EXPAND_SZ; the strings separated by NUL ("\x00") for
// REG_MULTI_SZ; the number in decimal for REG_DWORD and REG_QWORD; upper-case
// hex digits for REG_BINARY.
type Value struct {
	Type string `json:"type"`
	Data string `json:"data"`
}

// canonical checks v and returns it in stored form: the type in upper
// case, numbers in decimal (0x hex accepted), binary in upper-case hex.
func (v Value) canonical() (Value, error) {
	v.Type = strings.ToUpper(strings.TrimSpace(v.Type))
	switch v.Type {
	case RegSZ, RegExpandSZ:
		if strings.ContainsRune(v.Data, 0) {
			return Value{}, fmt.Errorf("a %s value cannot contain NUL", v.Type)
		}
	case RegMultiSZ:
	case RegDWORD, RegQWORD:
		bits := 32
		if v.Type == RegQWORD {
			bits = 64
		}
		n, err := parseRegNumber(v.Data, bits)
		if err != nil {
			return Value{}, fmt.Errorf("%s data %q: %w", v.Type, v.Data, err)
		}
		v.Data = strconv.FormatUint(n, 10)
	case RegBinary:
		d := strings.TrimPrefix(strings.TrimSpace(v.Data), "0x")
		if _, err := hex.DecodeString(d); err != nil {
			return Value{}, fmt.Errorf("REG_BINARY data %q is not an even number of hex digits", v.Data)
		}
		v.Data = strings.ToUpper(d)
	default:
		return Value{}, fmt.Errorf("unknown value type %q (REG_SZ, REG_EXPAND_SZ, REG_MULTI_SZ, REG_DWORD, REG_QWORD or REG_BINARY)", v.Type)
	}
	return v, nil
}

// parseRegNumber parses a decimal or 0x-prefixed hex number of bits bits.
func parseRegNumber(s string, bits int) (uint64, error) {
	s = strings.TrimSpace(s)
	base := 10
	if h, ok := strings.CutPrefix(strings.ToLower(s), "0x"); ok {
		s, base = h, 16
	}
	n, err := strconv.ParseUint(s, base, bits)
	if err != nil {
		return 0, fmt.Errorf("not a %d-bit number", bits)
	}
	return n, nil
}
