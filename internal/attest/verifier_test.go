package attest_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/whiteglove/whiteglove/internal/attest"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
	"github.com/whiteglove/whiteglove/internal/tpm"
)

// device is a software TPM with its EK and a fresh AK.
type device struct {
	tpm tpm.TPM
	ek  tpm.EK
	ak  tpm.AK
}

func newDevice(t testing.TB, ca *tpm.ManufacturerCA) device {
	t.Helper()
	ctx := context.Background()
	tp, err := tpm.OpenSoftware(t.TempDir(), ca)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tp.Close() })
	ek, err := tp.EK(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ak, err := tp.NewAK(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return device{tp, ek, ak}
}

func simulationVerifier() *attest.Verifier {
	return attest.NewVerifier([]*x509.Certificate{tpm.SimulationCA()})
}

func TestChallengeRoundTrip(t *testing.T) {
	t.Parallel()
	d := newDevice(t, tpm.Simulation())
	ch, err := simulationVerifier().Challenge(d.ek.Certificate, d.ek.Chain, tpm.EKModulus(d.ek), d.ak.Parameters())
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Secret) != 32 {
		t.Fatalf("secret is %d bytes, want 32", len(ch.Secret))
	}
	der, _ := x509.MarshalPKIXPublicKey(d.ek.Public)
	sum := sha256.Sum256(der)
	if ch.EKFingerprint != hex.EncodeToString(sum[:]) {
		t.Fatalf("EKFingerprint %s", ch.EKFingerprint)
	}
	if _, ok := ch.AKPublic.(*ecdsa.PublicKey); !ok {
		t.Fatalf("AKPublic is %T", ch.AKPublic)
	}
	got, err := d.ak.ActivateCredential(context.Background(), ch.Credential, ch.EncryptedSecret)
	if err != nil {
		t.Fatal(err)
	}
	if !attest.CheckSecret(ch.Secret, got) {
		t.Fatal("secret mismatch")
	}
	// Without a registered hardware hash the modulus is not checked.
	if _, err := simulationVerifier().Challenge(d.ek.Certificate, nil, nil, d.ak.Parameters()); err != nil {
		t.Fatalf("nil ekModulus: %v", err)
	}
	// Two challenges never share a secret.
	ch2, err := simulationVerifier().Challenge(d.ek.Certificate, nil, nil, d.ak.Parameters())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(ch.Secret, ch2.Secret) || bytes.Equal(ch.Credential, ch2.Credential) {
		t.Fatal("two challenges are the same")
	}
}

func TestChallengeRefusals(t *testing.T) {
	t.Parallel()
	good := newDevice(t, tpm.Simulation())
	other := newDevice(t, tpm.Simulation())
	vendor, err := tpm.NewManufacturerCA("Untrusted TPM Vendor")
	if err != nil {
		t.Fatal(err)
	}
	untrusted := newDevice(t, vendor)
	params := good.ak.Parameters()
	flip := func(f func(p *wire.AttestationParameters) *[]byte, i int) wire.AttestationParameters {
		p := params
		b := f(&p)
		*b = bytes.Clone(*b)
		if i < 0 {
			i += len(*b)
		}
		(*b)[i] ^= 0x01
		return p
	}
	pub := func(p *wire.AttestationParameters) *[]byte { return &p.Public }
	data := func(p *wire.AttestationParameters) *[]byte { return &p.CreateData }
	att := func(p *wire.AttestationParameters) *[]byte { return &p.CreateAttestation }
	sig := func(p *wire.AttestationParameters) *[]byte { return &p.CreateSignature }
	otherAK := other.ak.Parameters()

	shortRSA := ekCertFor(t, mustRSA(t, 1024), tpm.Simulation().Cert, tpm.Simulation().Key, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	expired := ekCertFor(t, good.ek.Public, tpm.Simulation().Cert, tpm.Simulation().Key, time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour))

	tests := []struct {
		name     string
		v        *attest.Verifier
		ek       []byte
		modulus  []byte
		ak       wire.AttestationParameters
		code     string
		contains string
	}{
		{"garbage EK certificate", nil, []byte("not a certificate"), nil, params, attest.CodeEKCertificateInvalid, ""},
		{"empty EK certificate", nil, nil, nil, params, attest.CodeEKCertificateInvalid, ""},
		{"EK from an untrusted vendor", nil, untrusted.ek.Certificate, nil, untrusted.ak.Parameters(), attest.CodeEKNotTrusted, "Untrusted TPM Vendor"},
		{"simulated EK without trusting the simulation CA", attest.NewVerifier(nil), good.ek.Certificate, nil, params, attest.CodeEKNotTrusted, "--trust-simulated-tpms"},
		{"expired EK certificate", nil, expired, nil, params, attest.CodeEKCertificateInvalid, "expired"},
		{"RSA-1024 EK", nil, shortRSA, nil, params, attest.CodeEKCertificateInvalid, "RSA-1024"},
		{"EK of another device's hardware hash", nil, good.ek.Certificate, tpm.EKModulus(other.ek), params, attest.CodeEKMismatch, "hardware hash"},
		{"empty registered modulus", nil, good.ek.Certificate, []byte{}, params, attest.CodeEKMismatch, ""},
		{"tampered AK public key", nil, good.ek.Certificate, nil, flip(pub, -1), attest.CodeAKInvalid, ""},
		{"tampered AK attributes", nil, good.ek.Certificate, nil, flip(pub, 7), attest.CodeAKInvalid, ""},
		{"tampered creation data", nil, good.ek.Certificate, nil, flip(data, -1), attest.CodeAKInvalid, ""},
		{"tampered creation attestation", nil, good.ek.Certificate, nil, flip(att, -1), attest.CodeAKInvalid, ""},
		{"tampered attestation magic", nil, good.ek.Certificate, nil, flip(att, 0), attest.CodeAKInvalid, ""},
		{"tampered signature", nil, good.ek.Certificate, nil, flip(sig, -1), attest.CodeAKInvalid, ""},
		{"another AK's public key", nil, good.ek.Certificate, nil, wire.AttestationParameters{Public: otherAK.Public, CreateData: params.CreateData, CreateAttestation: params.CreateAttestation, CreateSignature: params.CreateSignature}, attest.CodeAKInvalid, ""},
		{"another AK's attestation", nil, good.ek.Certificate, nil, wire.AttestationParameters{Public: params.Public, CreateData: otherAK.CreateData, CreateAttestation: otherAK.CreateAttestation, CreateSignature: otherAK.CreateSignature}, attest.CodeAKInvalid, ""},
		{"empty AK", nil, good.ek.Certificate, nil, wire.AttestationParameters{}, attest.CodeAKInvalid, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := tc.v
			if v == nil {
				v = simulationVerifier()
			}
			_, err := v.Challenge(tc.ek, nil, tc.modulus, tc.ak)
			if err == nil {
				t.Fatal("Challenge accepted it")
			}
			if got := attest.ErrorCode(err); got != tc.code {
				t.Fatalf("code %q (%v), want %q", got, err, tc.code)
			}
			if !strings.Contains(err.Error(), tc.contains) {
				t.Fatalf("error %q does not mention %q", err, tc.contains)
			}
		})
	}
}

// TestChallengeChain: an EK certificate from an intermediate CA verifies
// with the intermediate in the chain, and not without.
func TestChallengeChain(t *testing.T) {
	t.Parallel()
	root, err := tpm.NewManufacturerCA("Root TPM Vendor")
	if err != nil {
		t.Fatal(err)
	}
	interKey := mustECDSA(t)
	interDER, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "TPM Vendor EK Issuing CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true,
	}, root.Cert, interKey.Public(), root.Key)
	if err != nil {
		t.Fatal(err)
	}
	inter, _ := x509.ParseCertificate(interDER)
	d := newDevice(t, tpm.Simulation())
	ekDER := ekCertFor(t, d.ek.Public, inter, interKey, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	v := attest.NewVerifier([]*x509.Certificate{root.Cert})
	if _, err := v.Challenge(ekDER, [][]byte{interDER}, tpm.EKModulus(d.ek), d.ak.Parameters()); err != nil {
		t.Fatalf("with the intermediate: %v", err)
	}
	if _, err := v.Challenge(ekDER, nil, nil, d.ak.Parameters()); attest.ErrorCode(err) != attest.CodeEKNotTrusted {
		t.Fatalf("without the intermediate: %v, want EKNotTrusted", err)
	}
	if _, err := v.Challenge(ekDER, [][]byte{[]byte("junk")}, nil, d.ak.Parameters()); attest.ErrorCode(err) != attest.CodeEKCertificateInvalid {
		t.Fatalf("junk intermediate: %v, want EKCertificateInvalid", err)
	}
}

func TestCheckSecret(t *testing.T) {
	t.Parallel()
	s := []byte("0123456789abcdef0123456789abcdef")
	tests := []struct {
		name      string
		want, got []byte
		ok        bool
	}{
		{"equal", s, bytes.Clone(s), true},
		{"one bit off", s, append(bytes.Clone(s[:31]), s[31]^1), false},
		{"shorter", s, s[:31], false},
		{"longer", s, append(bytes.Clone(s), 0), false},
		{"nil got", s, nil, false},
		{"both empty", nil, nil, false},
	}
	for _, tc := range tests {
		if got := attest.CheckSecret(tc.want, tc.got); got != tc.ok {
			t.Errorf("%s: CheckSecret = %v, want %v", tc.name, got, tc.ok)
		}
	}
}

func TestErrorIs(t *testing.T) {
	t.Parallel()
	_, err := attest.NewVerifier(nil).Challenge([]byte{1}, nil, nil, wire.AttestationParameters{})
	var target error = &attest.Error{Code: attest.CodeEKCertificateInvalid}
	if !errorsIs(err, target) {
		t.Fatalf("errors.Is(%v, EKCertificateInvalid) is false", err)
	}
}

// ekCertFor issues a plain EK certificate for pub.
func ekCertFor(t testing.TB, pub crypto.PublicKey, issuer *x509.Certificate, key crypto.Signer, notBefore, notAfter time.Time) []byte {
	t.Helper()
	der, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageKeyEncipherment,
	}, issuer, pub, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func mustRSA(t testing.TB, bits int) *rsa.PublicKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	return &k.PublicKey
}
