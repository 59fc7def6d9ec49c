package tpm

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"
)

// ManufacturerCA is a TPM manufacturer's certificate authority: it issues
// EK certificates.
type ManufacturerCA struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

var simulation = sync.OnceValue(func() *ManufacturerCA {
	ca, err := parseManufacturerCA([]byte(simulationCACertPEM), []byte(simulationCAKeyPEM))
	if err != nil {
		panic("tpm: embedded simulation manufacturer CA: " + err.Error())
	}
	return ca
})

// Simulation is the fixed, public simulation manufacturer CA that issues the
// EK certificates of simulator and software TPMs. Its private key is in this
// package's source: trusting it means trusting anyone.
func Simulation() *ManufacturerCA { return simulation() }

// SimulationCA is the simulation manufacturer CA's certificate, the root a
// service trusts with --trust-simulated-tpms.
func SimulationCA() *x509.Certificate { return simulation().Cert }

// NewManufacturerCA makes a fresh ECDSA P-256 manufacturer CA named name,
// valid for 20 years; tests use one as a CA the service does not trust.
func NewManufacturerCA(name string) (*ManufacturerCA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate manufacturer CA key: %w", err)
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	now := time.Now().Add(-time.Hour).UTC()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: name, Organization: []string{name}},
		NotBefore:             now,
		NotAfter:              now.AddDate(20, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLen:            1,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, fmt.Errorf("create manufacturer CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse manufacturer CA certificate: %w", err)
	}
	return &ManufacturerCA{Cert: cert, Key: key}, nil
}

func parseManufacturerCA(certPEM, keyPEM []byte) (*ManufacturerCA, error) {
	cb, _ := pem.Decode(certPEM)
	if cb == nil || cb.Type != "CERTIFICATE" {
		return nil, errors.New("no CERTIFICATE block")
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse certificate: %w", err)
	}
	kb, _ := pem.Decode(keyPEM)
	if kb == nil || kb.Type != "PRIVATE KEY" {
		return nil, errors.New("no PRIVATE KEY block")
	}
	k, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse key: %w", err)
	}
	signer, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("key of type %T cannot sign", k)
	}
	return &ManufacturerCA{Cert: cert, Key: signer}, nil
}

// TCG object identifiers of the EK certificate profile.
var (
	oidSubjectAltName    = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidTPMManufacturer   = asn1.ObjectIdentifier{2, 23, 133, 2, 1}
	oidTPMModel          = asn1.ObjectIdentifier{2, 23, 133, 2, 2}
	oidTPMVersion        = asn1.ObjectIdentifier{2, 23, 133, 2, 3}
	oidEKCertificateEKU  = asn1.ObjectIdentifier{2, 23, 133, 8, 1}
	ekCertificateLifeMax = 20 * 365 * 24 * time.Hour
)

// ekIdentity names the TPM in its EK certificate.
type ekIdentity struct {
	Manufacturer uint32 // TCG vendor ID, e.g. "IBM\x00" or "WGSW" as big-endian
	Model        string
	Firmware     uint32
}

// issueEK makes an EK certificate for pub following the TCG EK credential
// profile as far as crypto/x509 allows: an empty subject, a critical
// subjectAltName directoryName with the TPM manufacturer, model and version,
// keyEncipherment only, the tcg-kp-EKCertificate extended key usage, a
// random serial.
func (ca *ManufacturerCA) issueEK(pub *rsa.PublicKey, id ekIdentity) ([]byte, error) {
	if ca == nil || ca.Cert == nil || ca.Key == nil {
		return nil, errors.New("issue EK certificate: no manufacturer CA")
	}
	san, err := ekSubjectAltName(id)
	if err != nil {
		return nil, fmt.Errorf("issue EK certificate: %w", err)
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	notBefore := time.Now().Add(-24 * time.Hour).UTC().Truncate(time.Hour)
	if notBefore.Before(ca.Cert.NotBefore) {
		notBefore = ca.Cert.NotBefore
	}
	notAfter := ca.Cert.NotAfter
	if notAfter.Sub(notBefore) > ekCertificateLifeMax {
		notAfter = notBefore.Add(ekCertificateLifeMax)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageKeyEncipherment,
		UnknownExtKeyUsage:    []asn1.ObjectIdentifier{oidEKCertificateEKU},
		BasicConstraintsValid: true,
		ExtraExtensions:       []pkix.Extension{{Id: oidSubjectAltName, Critical: true, Value: san}},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, pub, ca.Key)
	if err != nil {
		return nil, fmt.Errorf("issue EK certificate: %w", err)
	}
	return der, nil
}

// ekSubjectAltName encodes GeneralNames with one directoryName holding the
// TCG TPM manufacturer, model and version attributes.
func ekSubjectAltName(id ekIdentity) ([]byte, error) {
	attr := func(oid asn1.ObjectIdentifier, v string) pkix.RelativeDistinguishedNameSET {
		return pkix.RelativeDistinguishedNameSET{{Type: oid, Value: v}}
	}
	name, err := asn1.Marshal(pkix.RDNSequence{
		attr(oidTPMManufacturer, fmt.Sprintf("id:%08X", id.Manufacturer)),
		attr(oidTPMModel, id.Model),
		attr(oidTPMVersion, fmt.Sprintf("id:%08X", id.Firmware)),
	})
	if err != nil {
		return nil, fmt.Errorf("encode TPM directory name: %w", err)
	}
	return asn1.Marshal([]asn1.RawValue{{Class: asn1.ClassContextSpecific, Tag: 4, IsCompound: true, Bytes: name}})
}

// issuedBy reports whether certDER is a certificate signed by ca for pub.
func (ca *ManufacturerCA) issuedBy(certDER []byte, pub *rsa.PublicKey) bool {
	cert, err := x509.ParseCertificate(certDER)
	if err != nil || cert.CheckSignatureFrom(ca.Cert) != nil {
		return false
	}
	got, ok := cert.PublicKey.(*rsa.PublicKey)
	return ok && got.Equal(pub) && time.Now().Before(cert.NotAfter)
}

func randomSerial() (*big.Int, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("generate serial number: %w", err)
	}
	return serial.Add(serial, big.NewInt(1)), nil
}
