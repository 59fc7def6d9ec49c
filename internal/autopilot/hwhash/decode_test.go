package hwhash

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

func TestDecodeTextForms(t *testing.T) {
	raw := sampleRaw(t, "sample07")
	short := raw[:len(raw)-1] // 2999 bytes: its base64 needs one "="
	padded := base64.StdEncoding.EncodeToString(short)
	if !strings.HasSuffix(padded, "=") {
		t.Fatal("test setup: no padding")
	}
	var wrapped strings.Builder
	text := strings.TrimSpace(sampleText(t, "sample07"))
	for i := 0; i < len(text); i += 76 {
		wrapped.WriteString(text[i:min(i+76, len(text))] + "\r\n")
	}
	for name, in := range map[string]string{
		"file as is":     sampleText(t, "sample07"),
		"padded":         padded,
		"unpadded":       strings.TrimRight(padded, "="),
		"double padding": base64.StdEncoding.EncodeToString(raw[:len(raw)-2]),
		"spaces":         "  \t" + text + " \n",
		"quoted":         `"` + text + `"`,
		"line-wrapped":   wrapped.String(),
	} {
		h, err := Decode(in)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if h.SerialNumber != "5CG1457YL8" {
			t.Errorf("%s: serial %q", name, h.SerialNumber)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	raw := sampleRaw(t, "sample01") // TotalLength 1175
	text := strings.TrimSpace(sampleText(t, "sample01"))
	b64 := base64.StdEncoding.EncodeToString
	edit := func(f func(b []byte)) string {
		b := append([]byte(nil), raw...)
		f(b)
		return b64(b)
	}
	setTL := func(tl uint16) func([]byte) {
		return func(b []byte) { binary.LittleEndian.PutUint16(b[2:], tl) }
	}
	for _, c := range []struct{ name, in, reason string }{
		{"empty", " \r\n", "empty"},
		{"not base64", "T0GXBAEA!!!!", "not base64"},
		{"not base64 url alphabet", strings.ReplaceAll(text, "+", "-"), "not base64"},
		{"dangling character", text[:1201], "not base64"},
		{"truncated", text[:1200], "TotalLength 1175 out of range for a 900-byte blob (truncated?)"},
		{"truncated in checksum", text[:1600], "out of range"},
		{"too short", b64([]byte("OA")), "too short"},
		{"too long", strings.Repeat("A", MaxInputSize+1), "more than"},
		{"bad magic", edit(func(b []byte) { b[0] = 'X' }), "bad magic"},
		{"flipped byte", edit(func(b []byte) { b[500] ^= 0x01 }), "checksum mismatch"},
		{"flipped serial letter", edit(func(b []byte) { copy(b[strings.Index(string(b), "PF5MT6SC"):], "PF5MT6SD") }), "checksum mismatch"},
		{"flipped checksum", edit(func(b []byte) { b[1175+10] ^= 0x80 }), "checksum mismatch"},
		{"TotalLength too small", edit(setTL(3)), "out of range"},
		{"TotalLength too large", edit(setTL(2990)), "out of range"},
		{"TotalLength moved", edit(setTL(1000)), "no checksum record at TotalLength 1000"},
		{"checksum record length", edit(func(b []byte) { b[1175+2] = 35 }), "checksum record length 35"},
		{"padding", edit(func(b []byte) { b[2999] = 1 }), "non-zero byte 01 in the padding at offset 2999"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h, err := Decode(c.in)
			if h != nil {
				t.Error("non-nil Hash with an error")
			}
			wantInvalid(t, err, c.reason)
		})
	}
	_, err := DecodeBytes(make([]byte, MaxBlobSize+1))
	wantInvalid(t, err, "more than")
}

// TestDecodeFieldErrors edits records and recomputes the checksum, so that
// the field walk itself must catch the problem.
func TestDecodeFieldErrors(t *testing.T) {
	raw := sampleRaw(t, "sample01")
	// The first record is T1 at offset 4, length 28; T2 follows at 32.
	setLen := func(off int, n uint16) []byte {
		b := append([]byte(nil), raw...)
		binary.LittleEndian.PutUint16(b[off+2:], n)
		return resealed(b)
	}
	id := identity()
	withID := func(r ...[]byte) []byte { return blob(append(r, id...)...) }
	oaStray := append([]byte{'O', 'A', 0, 0}, rec(tSerial, str("SN1"))...)
	oaStray = append(append(oaStray, rec(tManufacturer, str("M"))...), 0xAA, 0xBB)
	for _, c := range []struct {
		name   string
		in     []byte
		reason string
	}{
		{"record overruns", setLen(32, 2000), "record type 2 at offset 32 has length 2000, overrunning TotalLength 1175"},
		{"record shorter than header", setLen(32, 3), "has length 3, less than its header"},
		{"record length zero", setLen(32, 0), "has length 0"},
		{"stray bytes before TotalLength", seal(oaStray, 0), "2 stray bytes at offset 18: the records do not end exactly at TotalLength 20"},
		{"T1 too short", withID(rec(tTool, make([]byte, 10))), "tool/OS record (type 1) has 10 value bytes, need at least 24"},
		{"UUID too short", withID(rec(tUUID, make([]byte, 15))), "SMBIOS UUID record (type 12)"},
		{"adapter bus overruns", withID(rec(tNetwork, append(make([]byte, 10), 9, 0, 0, 0, 'P', 0))), "bus name of 9 bytes overruns"},
		{"offline ID overruns", withID(rec(tOfflineID, append(make([]byte, 6), 32, 0, 0, 0, 1))), "ID of 32 bytes overruns"},
		{"core classes overrun", withID(rec(tCoreClasses, []byte{2, 1, 2, 0, 4, 0})), "too short for 2 classes"},
		{"duplicate serial", withID(rec(tSerial, str("OTHER"))), "serial number record (type 14) appears twice"},
		{"duplicate EK", withID(rec(tEKPub, []byte{1}), rec(tEKPub, []byte{2})), "appears twice"},
		{"no serial", blob(rec(tManufacturer, str("Contoso"))), "no serial number (a hash without serial number and manufacturer is InvalidZtdHardwareHash)"},
		{"no manufacturer", blob(rec(tSerial, str("SN1"))), "no manufacturer"},
		{"neither", blob(rec(tModel, str("X"))), "no serial number and no manufacturer"},
		{"blank serial", blob(rec(tSerial, str(" \t")), rec(tManufacturer, str("M"))), "no serial number"},
		{"empty serial", blob(rec(tSerial, []byte{0, 'X'}), rec(tManufacturer, str("M"))), "no serial number"},
		{"empty envelope", blob(), "no serial number and no manufacturer"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h, err := DecodeBytes(c.in)
			if h != nil {
				t.Error("non-nil Hash with an error")
			}
			wantInvalid(t, err, c.reason)
		})
	}
}

func TestDecodeLenient(t *testing.T) {
	// Unknown types (including a non-zero high byte) are kept in order;
	// known fields longer than their layout are accepted; the blob may stop
	// right after the checksum.
	b := blob(rec(31, []byte("x")), rec(tSerial, str("SN1")), rec(0x0210, nil),
		rec(tManufacturer, append(str("Contoso"), "junk"...)),
		rec(tUUID, append(make([]byte, 16), 0xEE)), rec(200, []byte{1, 2}))
	tl := int(binary.LittleEndian.Uint16(b[2:]))
	h, err := DecodeBytes(b[:tl+36])
	if err != nil {
		t.Fatal(err)
	}
	want := []Record{{31, []byte("x")}, {0x0210, []byte{}}, {200, []byte{1, 2}}}
	if len(h.Extra) != 3 || h.Extra[0].Type != 31 || string(h.Extra[0].Value) != "x" || h.Extra[1].Type != 0x0210 || h.Extra[2].Type != 200 {
		t.Errorf("Extra = %+v, want %+v", h.Extra, want)
	}
	if h.Manufacturer != "Contoso" || h.SMBIOSUUID != "00000000-0000-0000-0000-000000000000" {
		t.Errorf("Manufacturer %q, UUID %q", h.Manufacturer, h.SMBIOSUUID)
	}
	if !h.Generated.IsZero() || h.Processor != nil || h.MACs != nil || h.TPMEKPublic != nil {
		t.Errorf("absent fields are not zero: %+v", h)
	}
	// Raw is a copy: changing the input afterwards does not change it.
	b[0] = 'X'
	if h.Raw[0] != 'O' {
		t.Error("Raw aliases the input")
	}
}

func TestInvalidError(t *testing.T) {
	err := error(&InvalidError{Reason: "checksum mismatch"})
	if err.Error() != "invalid hardware hash: checksum mismatch" || !errors.Is(err, ErrInvalid) {
		t.Errorf("Error() = %q, Is = %v", err, errors.Is(err, ErrInvalid))
	}
	if errors.Is(errors.New("other"), ErrInvalid) {
		t.Error("unrelated error matches ErrInvalid")
	}
}
