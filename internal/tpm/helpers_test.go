package tpm_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/asn1"
	"encoding/json"
	"testing"

	"github.com/whiteglove/whiteglove/internal/attest"
	"github.com/whiteglove/whiteglove/internal/tpm"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func newAK(t testing.TB, tp tpm.TPM) tpm.AK {
	t.Helper()
	ak, err := tp.NewAK(context.Background())
	if err != nil {
		t.Fatalf("NewAK: %v", err)
	}
	t.Cleanup(func() { ak.Close() })
	return ak
}

func challenge(t testing.TB, v *attest.Verifier, ek tpm.EK, ak tpm.AK) attest.Challenge {
	t.Helper()
	ch, err := v.Challenge(ek.Certificate, ek.Chain, tpm.EKModulus(ek), ak.Parameters())
	if err != nil {
		t.Fatalf("Challenge: %v", err)
	}
	return ch
}

// roundTrip is one attestation: EK, a new AK, the service's challenge, the
// TPM's activation, the service's check.
func roundTrip(t testing.TB, tp tpm.TPM, v *attest.Verifier) {
	t.Helper()
	ctx := context.Background()
	ek, err := tp.EK(ctx)
	if err != nil {
		t.Fatalf("EK: %v", err)
	}
	ak, err := tp.NewAK(ctx)
	if err != nil {
		t.Fatalf("NewAK: %v", err)
	}
	defer ak.Close()
	ch := challenge(t, v, ek, ak)
	got, err := ak.ActivateCredential(ctx, ch.Credential, ch.EncryptedSecret)
	if err != nil {
		t.Fatalf("ActivateCredential: %v", err)
	}
	if !attest.CheckSecret(ch.Secret, got) {
		t.Fatal("the activated secret is not the challenge's")
	}
	if len(ch.EKFingerprint) != 64 {
		t.Fatalf("EKFingerprint %q", ch.EKFingerprint)
	}
}

// checkEKCertificate checks the EK certificate looks like a TCG one and is
// for the EK.
func checkEKCertificate(t testing.TB, ek tpm.EK) {
	t.Helper()
	if ek.Public == nil || ek.Public.N.BitLen() != 2048 {
		t.Fatal("the EK is not RSA-2048")
	}
	if m := tpm.EKModulus(ek); len(m) != 256 {
		t.Fatalf("EKModulus is %d bytes, want 256", len(m))
	}
	cert, err := x509.ParseCertificate(ek.Certificate)
	if err != nil {
		t.Fatalf("EK certificate: %v", err)
	}
	if !ek.Public.Equal(cert.PublicKey) {
		t.Fatal("the EK certificate is for another key")
	}
	if err := cert.CheckSignatureFrom(tpm.SimulationCA()); err != nil {
		t.Fatalf("the EK certificate is not from the simulation CA: %v", err)
	}
	if cert.KeyUsage != x509.KeyUsageKeyEncipherment {
		t.Fatalf("key usage %v, want keyEncipherment only", cert.KeyUsage)
	}
	want := asn1.ObjectIdentifier{2, 23, 133, 8, 1}
	if len(cert.UnknownExtKeyUsage) != 1 || !cert.UnknownExtKeyUsage[0].Equal(want) {
		t.Fatalf("EKU %v, want tcg-kp-EKCertificate", cert.UnknownExtKeyUsage)
	}
	var san []byte
	for _, e := range cert.Extensions {
		if e.Id.Equal(asn1.ObjectIdentifier{2, 5, 29, 17}) {
			if !e.Critical {
				t.Fatal("the subjectAltName of an EK certificate with an empty subject must be critical")
			}
			san = e.Value
		}
	}
	if !bytes.Contains(san, []byte{0x06, 0x05, 0x67, 0x81, 0x05, 0x02, 0x01}) { // OID 2.23.133.2.1
		t.Fatal("no TPM manufacturer in the subjectAltName")
	}
	if len(cert.Subject.Names) != 0 {
		t.Fatalf("subject %q, want empty", cert.Subject)
	}
}
