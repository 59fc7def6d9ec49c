package tpm

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/google/go-tpm/tpm2"
)

// Credential activation errors, named after the TPM response codes a TPM
// returns for the same faults.
var (
	errCredentialSize      = errors.New("malformed credential blob (TPM_RC_SIZE)")
	errCredentialIntegrity = errors.New("credential integrity check failed (TPM_RC_INTEGRITY)")
	errCredentialSecret    = errors.New("cannot decrypt the credential seed with this EK (TPM_RC_VALUE)")
)

// EK symmetric key size of the TCG default RSA EK template: AES-128.
const ekSymmetricBits = 128

// activateCredential is TPM2_ActivateCredential (TPM 2.0 Part 1, sections
// 24 and Annex B.10.4) for an RSA EK and an AK of name akName. credential is
// the TPM2B_ID_OBJECT and secret the TPM2B_ENCRYPTED_SECRET, each with its
// size prefix, as go-attestation's EncryptedCredential carries them.
func activateCredential(ek *rsa.PrivateKey, akName, credential, secret []byte) ([]byte, error) {
	encSeed, ok := tpm2b(secret)
	if !ok {
		return nil, errCredentialSize
	}
	idObject, ok := tpm2b(credential)
	if !ok {
		return nil, errCredentialSize
	}
	integrity, ok := tpm2bPrefix(idObject)
	if !ok {
		return nil, errCredentialSize
	}
	encIdentity := idObject[2+len(integrity):]

	// The seed, RSA-OAEP encrypted to the EK with the EK's name algorithm
	// and the label "IDENTITY\0".
	seed, err := rsa.DecryptOAEP(sha256.New(), nil, ek, encSeed, []byte("IDENTITY\x00"))
	if err != nil {
		return nil, errCredentialSecret
	}

	// The integrity HMAC binds the encrypted credential to the AK's name.
	if len(integrity) != sha256.Size || len(encIdentity) < 2 {
		return nil, errCredentialSize
	}
	hmacKey := tpm2.KDFa(crypto.SHA256, seed, "INTEGRITY", nil, nil, sha256.Size*8)
	mac := hmac.New(sha256.New, hmacKey)
	mac.Write(encIdentity)
	mac.Write(akName)
	if !hmac.Equal(mac.Sum(nil), integrity) {
		return nil, errCredentialIntegrity
	}

	// The credential, a TPM2B_DIGEST, AES-128-CFB with a zero IV.
	symKey := tpm2.KDFa(crypto.SHA256, seed, "STORAGE", akName, nil, ekSymmetricBits)
	block, err := aes.NewCipher(symKey)
	if err != nil {
		return nil, fmt.Errorf("credential cipher: %w", err)
	}
	plain := make([]byte, len(encIdentity))
	// CFB is what TPM 2.0 specifies here, deprecated in crypto/cipher or not.
	cipher.NewCFBDecrypter(block, make([]byte, aes.BlockSize)).XORKeyStream(plain, encIdentity)
	cred, ok := tpm2b(plain)
	if !ok || len(cred) > sha256.Size {
		return nil, errCredentialSize
	}
	return cred, nil
}

// tpm2b returns the contents of a TPM2B that fills b exactly.
func tpm2b(b []byte) ([]byte, bool) {
	body, ok := tpm2bPrefix(b)
	if !ok || len(body)+2 != len(b) {
		return nil, false
	}
	return body, true
}

// tpm2bPrefix returns the contents of the TPM2B at the start of b.
func tpm2bPrefix(b []byte) ([]byte, bool) {
	if len(b) < 2 {
		return nil, false
	}
	n := int(binary.BigEndian.Uint16(b))
	if len(b) < 2+n {
		return nil, false
	}
	return b[2 : 2+n], true
}
