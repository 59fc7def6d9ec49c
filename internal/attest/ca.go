package attest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"time"
)

// CA is the service's device certificate authority.
type CA struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

// caLifetime is how long a new device CA is valid.
const caLifetime = 20 * 365 * 24 * time.Hour

// clockSkew back-dates certificates so a device whose clock is a little
// behind accepts them.
const clockSkew = 5 * time.Minute

// NewCA makes an ECDSA P-256 device CA for org, valid for 20 years, named
// "<org> whiteglove device CA".
func NewCA(org string) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate device CA key: %w", err)
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	now := time.Now().Add(-clockSkew).UTC()
	subject := pkix.Name{CommonName: org + " whiteglove device CA"}
	if org != "" {
		subject.Organization = []string{org}
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               subject,
		NotBefore:             now,
		NotAfter:              now.Add(caLifetime),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, fmt.Errorf("create device CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse device CA certificate: %w", err)
	}
	return &CA{Cert: cert, Key: key}, nil
}

// MarshalPEM encodes the CA certificate and its PKCS#8 private key.
func (c *CA) MarshalPEM() (certPEM, keyPEM []byte, err error) {
	der, err := x509.MarshalPKCS8PrivateKey(c.Key)
	if err != nil {
		return nil, nil, fmt.Errorf("encode device CA key: %w", err)
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Cert.Raw})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	return certPEM, keyPEM, nil
}

// ParseCA decodes a CA from MarshalPEM's output and checks the key is the
// certificate's and the certificate is a CA's.
func ParseCA(certPEM, keyPEM []byte) (*CA, error) {
	cb, _ := pem.Decode(certPEM)
	if cb == nil || cb.Type != "CERTIFICATE" {
		return nil, errors.New("parse device CA: no PEM CERTIFICATE")
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse device CA certificate: %w", err)
	}
	if !cert.IsCA {
		return nil, errors.New("parse device CA: the certificate is not a CA certificate")
	}
	kb, _ := pem.Decode(keyPEM)
	if kb == nil || kb.Type != "PRIVATE KEY" {
		return nil, errors.New("parse device CA: no PEM PRIVATE KEY")
	}
	k, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		// Do not echo the key material or the parser's view of it.
		return nil, errors.New("parse device CA: the private key does not parse as PKCS#8")
	}
	signer, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("parse device CA: a %T key cannot sign", k)
	}
	type equaler interface{ Equal(crypto.PublicKey) bool }
	if pub, ok := signer.Public().(equaler); !ok || !pub.Equal(cert.PublicKey) {
		return nil, errors.New("parse device CA: the private key does not match the certificate")
	}
	return &CA{Cert: cert, Key: signer}, nil
}

// IssueDevice issues a device certificate for an ECDSA P-256 CSR. Its
// subject is CN=ztdID whatever the CSR asked; it is for client
// authentication only.
func (c *CA) IssueDevice(csrDER []byte, ztdID string, validity time.Duration) (*x509.Certificate, error) {
	if ztdID == "" {
		return nil, errors.New("issue device certificate: no ZTDId")
	}
	csr, err := parseCSR(csrDER)
	if err != nil {
		return nil, fmt.Errorf("issue device certificate: %w", err)
	}
	k, ok := csr.PublicKey.(*ecdsa.PublicKey)
	if !ok || k.Curve != elliptic.P256() {
		return nil, errors.New("issue device certificate: the key must be ECDSA P-256")
	}
	return c.issue(csr.PublicKey, pkix.Name{CommonName: ztdID}, validity,
		x509.KeyUsageDigitalSignature, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth})
}

// IssueFor issues a certificate for a CSR with the given subject and
// extended key usages, for certificate policies. The key must be ECDSA
// P-256 or P-384, or RSA of at least 2048 bits.
func (c *CA) IssueFor(csrDER []byte, subject pkix.Name, validity time.Duration, eku []x509.ExtKeyUsage) (*x509.Certificate, error) {
	csr, err := parseCSR(csrDER)
	if err != nil {
		return nil, fmt.Errorf("issue certificate: %w", err)
	}
	usage := x509.KeyUsageDigitalSignature
	switch k := csr.PublicKey.(type) {
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() && k.Curve != elliptic.P384() {
			return nil, errors.New("issue certificate: ECDSA keys must be P-256 or P-384")
		}
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return nil, fmt.Errorf("issue certificate: RSA-%d is too small, at least 2048 bits are required", k.N.BitLen())
		}
		usage |= x509.KeyUsageKeyEncipherment
	default:
		return nil, fmt.Errorf("issue certificate: unsupported key type %T", csr.PublicKey)
	}
	return c.issue(csr.PublicKey, subject, validity, usage, eku)
}

func parseCSR(der []byte) (*x509.CertificateRequest, error) {
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		return nil, fmt.Errorf("parse CSR: %w", err)
	}
	if err := csr.CheckSignature(); err != nil {
		return nil, fmt.Errorf("CSR signature: %w", err)
	}
	return csr, nil
}

func (c *CA) issue(pub crypto.PublicKey, subject pkix.Name, validity time.Duration, usage x509.KeyUsage, eku []x509.ExtKeyUsage) (*x509.Certificate, error) {
	if validity <= 0 {
		return nil, errors.New("issue certificate: validity must be positive")
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	notAfter := now.Add(validity)
	if notAfter.After(c.Cert.NotAfter) {
		notAfter = c.Cert.NotAfter
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               subject,
		NotBefore:             now.Add(-clockSkew),
		NotAfter:              notAfter,
		KeyUsage:              usage,
		ExtKeyUsage:           eku,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.Cert, pub, c.Key)
	if err != nil {
		return nil, fmt.Errorf("issue certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("issue certificate: parse: %w", err)
	}
	return cert, nil
}

// VerifyDevice checks a device certificate: it is not a CA's, chains to
// this CA, is for client authentication and is valid at now. It returns
// the ZTDId (the subject's common name) and the certificate.
func (c *CA) VerifyDevice(certDER []byte, now time.Time) (ztdID string, cert *x509.Certificate, err error) {
	cert, err = x509.ParseCertificate(certDER)
	if err != nil {
		return "", nil, fmt.Errorf("verify device certificate: %w", err)
	}
	if cert.IsCA {
		return "", nil, errors.New("verify device certificate: a CA certificate is not a device certificate")
	}
	roots := x509.NewCertPool()
	roots.AddCert(c.Cert)
	if _, err := cert.Verify(x509.VerifyOptions{
		Roots:       roots,
		CurrentTime: now,
		KeyUsages:   []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}); err != nil {
		return "", nil, fmt.Errorf("verify device certificate: %w", err)
	}
	if cert.Subject.CommonName == "" {
		return "", nil, errors.New("verify device certificate: no ZTDId in the subject")
	}
	return cert.Subject.CommonName, cert, nil
}

func randomSerial() (*big.Int, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("generate serial number: %w", err)
	}
	return serial.Add(serial, big.NewInt(1)), nil
}
