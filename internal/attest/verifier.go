package attest

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/go-attestation/attest"
	legacy "github.com/google/go-tpm/legacy/tpm2"

	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

// Verifier checks TPM attestations against trusted TPM manufacturer roots.
// It is safe for concurrent use.
type Verifier struct {
	roots *x509.CertPool
	now   func() time.Time
}

// NewVerifier trusts the given TPM manufacturer roots, and only them.
func NewVerifier(roots []*x509.Certificate) *Verifier {
	pool := x509.NewCertPool()
	for _, r := range roots {
		pool.AddCert(r)
	}
	return &Verifier{roots: pool, now: time.Now}
}

// Challenge is a credential-activation challenge for one AK of one TPM.
type Challenge struct {
	// Secret is what the TPM recovers; keep it, never send it.
	Secret []byte
	// Credential and EncryptedSecret go to the device (TPM2B_ID_OBJECT and
	// TPM2B_ENCRYPTED_SECRET, size-prefixed).
	Credential, EncryptedSecret []byte
	// EKFingerprint is the hex SHA-256 of the EK public key's PKIX DER.
	EKFingerprint string
	// AKPublic is the attestation key's public key.
	AKPublic crypto.PublicKey
}

// oidSubjectAltName: TCG EK certificates carry the TPM's manufacturer,
// model and version as a critical directoryName subjectAltName, which
// crypto/x509 does not parse and so flags as unhandled.
var oidSubjectAltName = asn1.ObjectIdentifier{2, 5, 29, 17}

// Challenge verifies, in this order, that the EK certificate parses; that it
// chains, through the given intermediates, to a trusted root, for any
// extended key usage; that its key is RSA-2048 or larger, or ECC P-256 or
// P-384, and — when ekModulus is not nil — that it is the RSA EK whose
// modulus the device's hardware hash registered; that the AK is a
// restricted signing key created by a TPM. It then makes a credential
// activation challenge for a fresh 32-byte secret, which only the TPM
// holding both the EK and the AK can recover.
func (v *Verifier) Challenge(ek []byte, chain [][]byte, ekModulus []byte, ak wire.AttestationParameters) (Challenge, error) {
	cert, err := attest.ParseEKCertificate(ek)
	if err != nil {
		return Challenge{}, refuse(CodeEKCertificateInvalid, "the EK certificate does not parse: "+err.Error())
	}
	if err := v.verifyChain(cert, chain); err != nil {
		return Challenge{}, err
	}
	pub, err := ekPublicKey(cert)
	if err != nil {
		return Challenge{}, err
	}
	if ekModulus != nil {
		rk, ok := pub.(*rsa.PublicKey)
		if !ok {
			return Challenge{}, refuse(CodeEKMismatch, "the EK is an ECC key but the device's hardware hash registered an RSA EK")
		}
		if !bytes.Equal(trimZeros(rk.N.Bytes()), trimZeros(ekModulus)) {
			return Challenge{}, refuse(CodeEKMismatch, "the EK does not match the one registered in the device's hardware hash")
		}
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return Challenge{}, refuse(CodeEKCertificateInvalid, "the EK public key cannot be encoded: "+err.Error())
	}
	akPub, err := akPublicKey(ak.Public)
	if err != nil {
		return Challenge{}, err
	}
	secret, ec, err := generate(pub, ak)
	if err != nil {
		return Challenge{}, refuse(CodeAKInvalid, "the attestation key is not a restricted key created by this TPM: "+err.Error())
	}
	fp := sha256.Sum256(der)
	return Challenge{
		Secret:          secret,
		Credential:      ec.Credential,
		EncryptedSecret: ec.Secret,
		EKFingerprint:   hex.EncodeToString(fp[:]),
		AKPublic:        akPub,
	}, nil
}

// verifyChain checks that cert chains to a trusted root.
func (v *Verifier) verifyChain(cert *x509.Certificate, chain [][]byte) error {
	inter := x509.NewCertPool()
	for i, der := range chain {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return refuse(CodeEKCertificateInvalid, fmt.Sprintf("EK chain certificate %d does not parse: %v", i+1, err))
		}
		c.UnhandledCriticalExtensions = slices.DeleteFunc(c.UnhandledCriticalExtensions, oidSubjectAltName.Equal)
		inter.AddCert(c)
	}
	// Work on a copy: the SAN is ours to accept, not the caller's.
	cc := *cert
	cc.UnhandledCriticalExtensions = slices.DeleteFunc(slices.Clone(cert.UnhandledCriticalExtensions), oidSubjectAltName.Equal)
	_, err := cc.Verify(x509.VerifyOptions{
		Roots:         v.roots,
		Intermediates: inter,
		CurrentTime:   v.now(),
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err == nil {
		return nil
	}
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &unknown):
		return refuse(CodeEKNotTrusted, fmt.Sprintf("the EK certificate was issued by %q, which is not a trusted TPM manufacturer; "+
			"software and virtual TPMs are refused unless the service trusts their root (--trust-simulated-tpms or --tpm-roots DIR)", issuerName(cert)))
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return refuse(CodeEKCertificateInvalid, "the EK certificate (or its chain) is expired or not yet valid")
	default:
		return refuse(CodeEKNotTrusted, fmt.Sprintf("the EK certificate issued by %q does not verify: %v", issuerName(cert), err))
	}
}

func issuerName(cert *x509.Certificate) string {
	if s := cert.Issuer.String(); s != "" {
		return s
	}
	return "(no issuer name)"
}

// ekPublicKey is the certificate's key, when it is one an EK can be.
func ekPublicKey(cert *x509.Certificate) (crypto.PublicKey, error) {
	switch k := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return nil, refuse(CodeEKCertificateInvalid, fmt.Sprintf("the EK is RSA-%d; at least RSA-2048 is required", k.N.BitLen()))
		}
		return k, nil
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() && k.Curve != elliptic.P384() {
			return nil, refuse(CodeEKCertificateInvalid, "the EK uses an unsupported elliptic curve")
		}
		return k, nil
	default:
		return nil, refuse(CodeEKCertificateInvalid, fmt.Sprintf("the EK key type %T is not RSA or ECC", cert.PublicKey))
	}
}

// akPublicKey decodes the AK's TPMT_PUBLIC.
func akPublicKey(public []byte) (pub crypto.PublicKey, err error) {
	defer func() {
		if r := recover(); r != nil {
			pub, err = nil, refuse(CodeAKInvalid, "the attestation key's public area is malformed")
		}
	}()
	p, err := legacy.DecodePublic(public)
	if err != nil {
		return nil, refuse(CodeAKInvalid, "the attestation key's public area does not parse: "+err.Error())
	}
	k, err := p.Key()
	if err != nil {
		return nil, refuse(CodeAKInvalid, "the attestation key's public key is unusable: "+err.Error())
	}
	return k, nil
}

// generate runs go-attestation's AK checks and makes the challenge. The
// AK parameters come from the network; a parser panic is a refusal.
func generate(ek crypto.PublicKey, ak wire.AttestationParameters) (secret []byte, ec *attest.EncryptedCredential, err error) {
	defer func() {
		if r := recover(); r != nil {
			secret, ec, err = nil, nil, fmt.Errorf("malformed attestation parameters (%v)", r)
		}
	}()
	p := attest.ActivationParameters{EK: ek, AK: attest.AttestationParameters{
		Public:            ak.Public,
		CreateData:        ak.CreateData,
		CreateAttestation: ak.CreateAttestation,
		CreateSignature:   ak.CreateSignature,
	}}
	return p.Generate()
}

// CheckSecret reports, in constant time, whether got is the challenge's
// secret. An empty want never matches.
func CheckSecret(want, got []byte) bool {
	return len(want) > 0 && subtle.ConstantTimeCompare(want, got) == 1
}

func trimZeros(b []byte) []byte { return bytes.TrimLeft(b, "\x00") }
