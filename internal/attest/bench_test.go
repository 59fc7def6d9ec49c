package attest_test

import (
	"context"
	"testing"

	"github.com/whiteglove/whiteglove/internal/attest"
	"github.com/whiteglove/whiteglove/internal/tpm"
)

// BenchmarkSoftwareAttestation is one attestation round with a software
// TPM: a new AK, the service's checks and challenge, the activation, the
// secret check.
func BenchmarkSoftwareAttestation(b *testing.B) {
	ctx := context.Background()
	tp, err := tpm.OpenSoftware(b.TempDir(), tpm.Simulation())
	if err != nil {
		b.Fatal(err)
	}
	defer tp.Close()
	ek, err := tp.EK(ctx)
	if err != nil {
		b.Fatal(err)
	}
	v := simulationVerifier()
	modulus := tpm.EKModulus(ek)
	b.ResetTimer()
	for b.Loop() {
		ak, err := tp.NewAK(ctx)
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
