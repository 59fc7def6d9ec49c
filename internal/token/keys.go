package token

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
)

// pemType is the PEM block type MarshalKey writes and ParseKey reads.
const pemType = "PRIVATE KEY"

// GenerateKey makes a new P-256 signing key and its key id.
func GenerateKey() (*ecdsa.PrivateKey, string, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, "", fmt.Errorf("token: generate key: %w", err)
	}
	kid, err := KeyID(&k.PublicKey)
	if err != nil {
		return nil, "", err
	}
	return k, kid, nil
}

// KeyID derives the kid of a P-256 public key: the unpadded base64url
// encoding of the first 16 bytes of the SHA-256 of its uncompressed point
// (0x04 || X || Y), so the same key always gets the same 22-character kid.
func KeyID(pub *ecdsa.PublicKey) (string, error) {
	if pub == nil || pub.Curve != elliptic.P256() {
		return "", errors.New("token: key id: not a P-256 public key")
	}
	raw, err := pub.Bytes()
	if err != nil {
		return "", fmt.Errorf("token: key id: %w", err)
	}
	sum := sha256.Sum256(raw)
	return base64.RawURLEncoding.EncodeToString(sum[:16]), nil
}

// MarshalKey encodes a P-256 private key as a PKCS#8 "PRIVATE KEY" PEM block.
func MarshalKey(k *ecdsa.PrivateKey) ([]byte, error) {
	if k == nil || k.Curve != elliptic.P256() {
		return nil, errors.New("token: marshal key: not a P-256 private key")
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, fmt.Errorf("token: marshal key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemType, Bytes: der}), nil
}

// ParseKey decodes a PEM block written by MarshalKey and returns the key
// and its key id. Keys on curves other than P-256 are rejected.
func ParseKey(pemBytes []byte) (*ecdsa.PrivateKey, string, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil || block.Type != pemType {
		return nil, "", errors.New("token: parse key: no PKCS#8 PRIVATE KEY PEM block")
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, "", fmt.Errorf("token: parse key: %w", err)
	}
	k, ok := parsed.(*ecdsa.PrivateKey)
	if !ok || k.Curve != elliptic.P256() {
		return nil, "", errors.New("token: parse key: not a P-256 ECDSA key")
	}
	kid, err := KeyID(&k.PublicKey)
	if err != nil {
		return nil, "", err
	}
	return k, kid, nil
}
