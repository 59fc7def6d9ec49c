package tpm

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"testing"

	"github.com/google/go-tpm/legacy/tpm2"
	"github.com/google/go-tpm/legacy/tpm2/credactivation"
)

// makeCredential is what the service does (go-attestation calls
// credactivation.Generate with a 16-byte symmetric block).
func makeCredential(t testing.TB, ek *rsa.PublicKey, akName, secret []byte) (cred, encSecret []byte) {
	t.Helper()
	name := &tpm2.HashValue{Alg: tpm2.AlgSHA256, Value: akName[2:]}
	cred, encSecret, err := credactivation.Generate(name, ek, 16, secret)
	if err != nil {
		t.Fatal(err)
	}
	return cred, encSecret
}

var testEK = func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}()

func TestActivateCredential(t *testing.T) {
	t.Parallel()
	akName := nameOf(bytes.Repeat([]byte{0xA5}, 32))
	otherName := nameOf(bytes.Repeat([]byte{0x5A}, 32))
	secret := []byte("0123456789abcdef0123456789abcdef")
	cred, enc := makeCredential(t, &testEK.PublicKey, akName, secret)

	got, err := activateCredential(testEK, akName, cred, enc)
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("activateCredential = %x, %v", got, err)
	}
	tests := []struct {
		name      string
		akName    []byte
		cred, enc []byte
		want      error
	}{
		{"other AK name", otherName, cred, enc, errCredentialIntegrity},
		{"flipped encrypted identity", akName, flipAt(cred, len(cred)-1), enc, errCredentialIntegrity},
		{"flipped HMAC", akName, flipAt(cred, 6), enc, errCredentialIntegrity},
		{"flipped seed", akName, cred, flipAt(enc, 50), errCredentialSecret},
		{"size prefix too long", akName, flipAt(cred, 1), enc, errCredentialSize},
		{"empty credential", akName, nil, enc, errCredentialSize},
		{"empty secret", akName, cred, nil, errCredentialSize},
	}
	for _, tc := range tests {
		if _, err := activateCredential(testEK, tc.akName, tc.cred, tc.enc); err != tc.want {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
	}
}

func flipAt(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0x01
	return c
}

// FuzzActivateCredential: arbitrary blobs from the network never panic
// and never yield a secret but the real one.
func FuzzActivateCredential(f *testing.F) {
	akName := nameOf(bytes.Repeat([]byte{0xA5}, 32))
	secret := []byte("0123456789abcdef0123456789abcdef")
	cred, enc := makeCredential(f, &testEK.PublicKey, akName, secret)
	f.Add(cred, enc)
	f.Add([]byte{}, []byte{})
	f.Add(cred[:10], enc)
	f.Add([]byte{0, 2, 0, 0}, []byte{0, 0})
	f.Fuzz(func(t *testing.T, cred, enc []byte) {
		got, err := activateCredential(testEK, akName, cred, enc)
		if err == nil && !bytes.Equal(got, secret) {
			t.Fatalf("activated to %x", got)
		}
	})
}
