package attest_test

import (
	"testing"

	"github.com/whiteglove/whiteglove/internal/attest"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
	"github.com/whiteglove/whiteglove/internal/tpm"
)

// FuzzChallenge feeds arbitrary attestation parameters, with a trusted EK,
// to Challenge: it must never panic, refuse with AKInvalid, and accept
// only parameters that are a genuine AK's.
func FuzzChallenge(f *testing.F) {
	d := newDevice(f, tpm.Simulation())
	p := d.ak.Parameters()
	f.Add(p.Public, p.CreateData, p.CreateAttestation, p.CreateSignature)
	f.Add([]byte{}, []byte{}, []byte{}, []byte{})
	f.Add(p.Public[:10], p.CreateData, p.CreateAttestation[:20], p.CreateSignature)
	f.Add([]byte{0x00, 0x23, 0x00, 0x0b}, []byte{0, 0}, []byte{0xff, 0x54, 0x43, 0x47, 0x80, 0x1a}, []byte{0x00, 0x18, 0x00, 0x0b, 0, 0, 0, 0})
	v := simulationVerifier()
	f.Fuzz(func(t *testing.T, pub, data, att, sig []byte) {
		ak := wire.AttestationParameters{Public: pub, CreateData: data, CreateAttestation: att, CreateSignature: sig}
		ch, err := v.Challenge(d.ek.Certificate, nil, tpm.EKModulus(d.ek), ak)
		if err != nil {
			if code := attest.ErrorCode(err); code != attest.CodeAKInvalid {
				t.Fatalf("code %q for bad AK parameters: %v", code, err)
			}
			return
		}
		if len(ch.Secret) != 32 || len(ch.Credential) == 0 || len(ch.EncryptedSecret) == 0 {
			t.Fatal("accepted without a full challenge")
		}
	})
}
