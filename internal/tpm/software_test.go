package tpm_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/whiteglove/whiteglove/internal/attest"
	"github.com/whiteglove/whiteglove/internal/tpm"
)

func openSoftware(t testing.TB, dir string) tpm.TPM {
	t.Helper()
	tp, err := tpm.Open(context.Background(), tpm.KindSoftware, "", dir)
	if err != nil {
		t.Fatalf("Open software: %v", err)
	}
	t.Cleanup(func() { tp.Close() })
	return tp
}

func simulationVerifier() *attest.Verifier {
	return attest.NewVerifier([]*x509.Certificate{tpm.SimulationCA()})
}

func TestSoftwareRoundTrip(t *testing.T) {
	t.Parallel()
	tp := openSoftware(t, t.TempDir())
	roundTrip(t, tp, simulationVerifier())
	if info := tp.Info(); info.Kind != tpm.KindSoftware || info.Manufacturer != "WGSW" || info.Version != "2.0" {
		t.Fatalf("Info() = %+v", info)
	}
	ek, err := tp.EK(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkEKCertificate(t, ek)
}

func TestSoftwareIdentityPersists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	first := openSoftware(t, dir)
	ek1, err := first.EK(ctx)
	if err != nil {
		t.Fatal(err)
	}
	first.Close()
	if _, err := first.EK(ctx); err == nil {
		t.Fatal("EK after Close succeeded")
	}

	fi, err := os.Stat(filepath.Join(dir, "tpm-software.json"))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Fatalf("state file mode %v, want 0600", perm)
	}

	ek2, err := openSoftware(t, dir).EK(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(tpm.EKModulus(ek1), tpm.EKModulus(ek2)) || !bytes.Equal(ek1.Certificate, ek2.Certificate) {
		t.Fatal("the EK or its certificate changed across a restart")
	}
	ek3, err := openSoftware(t, t.TempDir()).EK(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(tpm.EKModulus(ek1), tpm.EKModulus(ek3)) {
		t.Fatal("two state directories gave the same EK")
	}
}

// TestSoftwareReissuesForAnotherCA: the same TPM opened with another
// manufacturer CA keeps its EK but gets that CA's certificate.
func TestSoftwareReissuesForAnotherCA(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	ek1, err := openSoftware(t, dir).EK(ctx)
	if err != nil {
		t.Fatal(err)
	}
	other, err := tpm.NewManufacturerCA("Other TPM Vendor")
	if err != nil {
		t.Fatal(err)
	}
	tp, err := tpm.OpenSoftware(dir, other)
	if err != nil {
		t.Fatal(err)
	}
	defer tp.Close()
	ek2, err := tp.EK(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(tpm.EKModulus(ek1), tpm.EKModulus(ek2)) {
		t.Fatal("the EK changed")
	}
	cert, err := x509.ParseCertificate(ek2.Certificate)
	if err != nil {
		t.Fatal(err)
	}
	if err := cert.CheckSignatureFrom(other.Cert); err != nil {
		t.Fatalf("the certificate is not from the other CA: %v", err)
	}
}

func TestSoftwareActivationRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	v := simulationVerifier()
	a := openSoftware(t, t.TempDir())
	b := openSoftware(t, t.TempDir())
	ekA, err := a.EK(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ekB, err := b.EK(ctx)
	if err != nil {
		t.Fatal(err)
	}
	akA, akA2 := newAK(t, a), newAK(t, a)
	good := challenge(t, v, ekA, akA)
	forB := challenge(t, v, ekB, akA) // A's AK, B's EK
	forA2 := challenge(t, v, ekA, akA2)

	flip := func(b []byte, i int) []byte {
		c := bytes.Clone(b)
		c[i] ^= 0x01
		return c
	}
	tests := []struct {
		name      string
		cred, sec []byte
	}{
		{"credential for another TPM's EK", forB.Credential, forB.EncryptedSecret},
		{"credential for another AK", forA2.Credential, forA2.EncryptedSecret},
		{"flipped last credential byte", flip(good.Credential, len(good.Credential)-1), good.EncryptedSecret},
		{"flipped HMAC byte", flip(good.Credential, 5), good.EncryptedSecret},
		{"flipped encrypted seed byte", good.Credential, flip(good.EncryptedSecret, 100)},
		{"truncated credential", good.Credential[:len(good.Credential)-1], good.EncryptedSecret},
		{"truncated secret", good.Credential, good.EncryptedSecret[:10]},
		{"empty", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := akA.ActivateCredential(ctx, tc.cred, tc.sec)
			if err == nil {
				t.Fatalf("activation succeeded (secret match %v)", attest.CheckSecret(good.Secret, got))
			}
		})
	}
	// And the untampered one still works.
	got, err := akA.ActivateCredential(ctx, good.Credential, good.EncryptedSecret)
	if err != nil || !attest.CheckSecret(good.Secret, got) {
		t.Fatalf("good credential: %v", err)
	}
}

// TestSoftwareConcurrent: the fleet simulator runs many software TPMs, and
// many rounds on one, at once.
func TestSoftwareConcurrent(t *testing.T) {
	t.Parallel()
	v := simulationVerifier()
	tp := openSoftware(t, t.TempDir())
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { roundTrip(t, tp, v) })
	}
	wg.Wait()
}

func TestOpenUnknownKind(t *testing.T) {
	t.Parallel()
	if _, err := tpm.Open(context.Background(), "quantum", "", t.TempDir()); err == nil {
		t.Fatal("Open with an unknown kind succeeded")
	}
	if _, err := tpm.Open(context.Background(), tpm.KindSoftware, "", ""); err == nil {
		t.Fatal("Open software without a state directory succeeded")
	}
}

func TestOpenHardwareMissingDevice(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("Windows opens its TPM through TBS, not a device path")
	}
	path := filepath.Join(t.TempDir(), "tpmrm0")
	_, err := tpm.Open(context.Background(), tpm.KindHardware, path, "")
	if err == nil {
		t.Fatal("opened a hardware TPM that does not exist")
	}
	if !bytes.Contains([]byte(err.Error()), []byte("no TPM device at "+path)) {
		t.Fatalf("error %q does not say the device is missing", err)
	}
}
