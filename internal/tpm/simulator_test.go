package tpm_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/whiteglove/whiteglove/internal/attest"
	"github.com/whiteglove/whiteglove/internal/tpm"
)

// TestSimulator drives the one TPM simulator this process may have, so its
// parts run in sequence inside one test.
func TestSimulator(t *testing.T) {
	if testing.Short() {
		t.Skip("the TPM simulator is slow")
	}
	ctx := context.Background()
	dir := t.TempDir()
	start := time.Now()
	sim, err := tpm.Open(ctx, tpm.KindSimulator, "", dir)
	if err != nil {
		t.Fatalf("Open simulator: %v", err)
	}
	t.Logf("open (manufacture): %v", time.Since(start))
	defer func() { sim.Close() }()

	t.Run("SecondOpenRefused", func(t *testing.T) {
		other, err := tpm.Open(ctx, tpm.KindSimulator, "", t.TempDir())
		if err == nil {
			other.Close()
			t.Fatal("a second simulator opened while one is open")
		}
		if !errors.Is(err, tpm.ErrSimulatorInUse) || !strings.Contains(err.Error(), "a TPM simulator is already open in this process") {
			t.Fatalf("second open: got %v, want ErrSimulatorInUse", err)
		}
	})

	t.Run("Info", func(t *testing.T) {
		info := sim.Info()
		if info.Kind != tpm.KindSimulator || info.Version != "2.0" || info.Manufacturer == "" {
			t.Fatalf("Info() = %+v", info)
		}
		t.Logf("simulator info: %+v", info)
	})

	ek, err := sim.EK(ctx)
	if err != nil {
		t.Fatalf("EK: %v", err)
	}
	t.Run("EKCertificate", func(t *testing.T) {
		checkEKCertificate(t, ek)
		var st struct{ EKCertificate []byte }
		b, err := os.ReadFile(filepath.Join(dir, "tpm-simulator.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := jsonUnmarshal(b, &st); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(st.EKCertificate, ek.Certificate) {
			t.Fatal("the EK certificate read from NV is not the one in the state directory")
		}
	})

	verifier := attest.NewVerifier([]*x509.Certificate{tpm.SimulationCA()})
	t.Run("RoundTrip", func(t *testing.T) {
		start := time.Now()
		roundTrip(t, sim, verifier)
		t.Logf("attestation round: %v", time.Since(start))
	})

	t.Run("FlippedCredential", func(t *testing.T) {
		ak := newAK(t, sim)
		ch := challenge(t, verifier, ek, ak)
		for _, blob := range []string{"credential", "secret"} {
			cred, sec := bytes.Clone(ch.Credential), bytes.Clone(ch.EncryptedSecret)
			if blob == "credential" {
				cred[len(cred)-1] ^= 0x01
			} else {
				sec[len(sec)/2] ^= 0x80
			}
			got, err := ak.ActivateCredential(ctx, cred, sec)
			if err == nil && attest.CheckSecret(ch.Secret, got) {
				t.Fatalf("flipped %s: activation recovered the secret", blob)
			}
			if err == nil {
				t.Fatalf("flipped %s: activation succeeded", blob)
			}
		}
	})

	t.Run("CredentialForAnotherEK", func(t *testing.T) {
		sw, err := tpm.OpenSoftware(t.TempDir(), tpm.Simulation())
		if err != nil {
			t.Fatal(err)
		}
		defer sw.Close()
		swEK, err := sw.EK(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ak := newAK(t, sim)
		// The simulator's genuine AK, but a challenge sealed to another EK.
		ch := challenge(t, verifier, swEK, ak)
		if got, err := ak.ActivateCredential(ctx, ch.Credential, ch.EncryptedSecret); err == nil {
			t.Fatalf("activated a credential made for another TPM's EK (secret match %v)", attest.CheckSecret(ch.Secret, got))
		}
	})

	t.Run("CredentialForAnotherAK", func(t *testing.T) {
		ak1, ak2 := newAK(t, sim), newAK(t, sim)
		ch := challenge(t, verifier, ek, ak1)
		if _, err := ak2.ActivateCredential(ctx, ch.Credential, ch.EncryptedSecret); err == nil {
			t.Fatal("AK 2 activated a credential made for AK 1")
		}
	})

	modulus := tpm.EKModulus(ek)
	if err := sim.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	t.Run("RestartKeepsIdentity", func(t *testing.T) {
		again, err := tpm.Open(ctx, tpm.KindSimulator, "", dir)
		if err != nil {
			t.Fatalf("reopen after Close: %v", err)
		}
		defer again.Close()
		ek2, err := again.EK(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(tpm.EKModulus(ek2), modulus) {
			t.Fatal("the EK changed across a restart with the same state directory")
		}
		if !bytes.Equal(ek2.Certificate, ek.Certificate) {
			t.Fatal("the EK certificate changed across a restart")
		}
		roundTrip(t, again, verifier)
	})

	t.Run("OtherStateDirOtherIdentity", func(t *testing.T) {
		other, err := tpm.Open(ctx, tpm.KindSimulator, "", t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		ek3, err := other.EK(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(tpm.EKModulus(ek3), modulus) {
			t.Fatal("two state directories gave the same EK")
		}
	})
}

// BenchmarkSimulatorAttestation is one attestation round with the TPM
// simulator, as BenchmarkSoftwareAttestation in internal/attest: a new AK
// (created and certified in the TPM), the service's checks and challenge,
// the TPM's activation (EK policy session), the secret check.
func BenchmarkSimulatorAttestation(b *testing.B) {
	ctx := context.Background()
	sim, err := tpm.Open(ctx, tpm.KindSimulator, "", b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer sim.Close()
	ek, err := sim.EK(ctx)
	if err != nil {
		b.Fatal(err)
	}
	v := attest.NewVerifier([]*x509.Certificate{tpm.SimulationCA()})
	modulus := tpm.EKModulus(ek)
	for b.Loop() {
		ak, err := sim.NewAK(ctx)
		if err != nil {
			b.Fatal(err)
		}
		ch, err := v.Challenge(ek.Certificate, ek.Chain, modulus, ak.Parameters())
		if err != nil {
			b.Fatal(err)
		}
		got, err := ak.ActivateCredential(ctx, ch.Credential, ch.EncryptedSecret)
		if err != nil || !attest.CheckSecret(ch.Secret, got) {
			b.Fatalf("activation: %v", err)
		}
		ak.Close()
	}
}
