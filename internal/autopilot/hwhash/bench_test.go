package hwhash

import (
	"strings"
	"testing"
)

func BenchmarkDecode(b *testing.B) {
	text := strings.TrimSpace(sampleText(b, "sample04")) // the largest sample
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(text); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	h, err := Decode(sampleText(b, "sample04"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode(h); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFingerprint(b *testing.B) {
	h, err := Decode(sampleText(b, "sample04"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = h.Fingerprint()
	}
}
