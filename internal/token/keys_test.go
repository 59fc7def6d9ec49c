package token

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"testing"
)

func TestKeyRoundTrip(t *testing.T) {
	k, kid, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	if len(kid) != 22 {
		t.Errorf("kid %q: want 22 base64url chars (16 bytes)", kid)
	}
	pemBytes, err := MarshalKey(k)
	if err != nil {
		t.Fatal(err)
	}
	k2, kid2, err := ParseKey(pemBytes)
	if err != nil {
		t.Fatal(err)
	}
	if kid2 != kid || !k2.Equal(k) {
		t.Error("round trip changed the key")
	}
	other, otherKid, _ := GenerateKey()
	if otherKid == kid || other.Equal(k) {
		t.Error("two keys, same kid")
	}
}

func TestParseKeyRejects(t *testing.T) {
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(p384)
	sec1, _ := x509.MarshalECPrivateKey(p384)
	for name, in := range map[string][]byte{
		"empty":   nil,
		"garbage": []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
		"P-384":   pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}),
		"SEC1":    pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1}),
	} {
		if _, _, err := ParseKey(in); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := MarshalKey(p384); err == nil {
		t.Error("MarshalKey accepted P-384")
	}
}
