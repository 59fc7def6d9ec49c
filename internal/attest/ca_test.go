package attest_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"testing"
	"time"

	"github.com/whiteglove/whiteglove/internal/attest"
)

func csrFor(t testing.TB, key crypto.Signer, cn string) []byte {
	t.Helper()
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: cn}}, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func newCA(t testing.TB) *attest.CA {
	t.Helper()
	ca, err := attest.NewCA("Contoso")
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

func TestCAIssueAndVerifyDevice(t *testing.T) {
	t.Parallel()
	ca := newCA(t)
	if ca.Cert.Subject.CommonName != "Contoso whiteglove device CA" || !ca.Cert.IsCA {
		t.Fatalf("CA subject %q, IsCA %v", ca.Cert.Subject, ca.Cert.IsCA)
	}
	if ca.Cert.NotAfter.Sub(ca.Cert.NotBefore) < 19*365*24*time.Hour {
		t.Fatal("the CA is valid for less than 20 years")
	}
	key := mustECDSA(t)
	// The CSR asks for another name: the certificate carries the ZTDId.
	cert, err := ca.IssueDevice(csrFor(t, key, "evil"), "ztd-1234", 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if cert.Subject.CommonName != "ztd-1234" {
		t.Fatalf("subject CN %q, want the ZTDId", cert.Subject.CommonName)
	}
	if len(cert.ExtKeyUsage) != 1 || cert.ExtKeyUsage[0] != x509.ExtKeyUsageClientAuth {
		t.Fatalf("EKU %v, want client auth", cert.ExtKeyUsage)
	}
	if !key.PublicKey.Equal(cert.PublicKey) {
		t.Fatal("the certificate is for another key")
	}
	cert2, err := ca.IssueDevice(csrFor(t, key, ""), "ztd-1234", 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if cert.SerialNumber.Cmp(cert2.SerialNumber) == 0 {
		t.Fatal("two certificates share a serial number")
	}
	id, got, err := ca.VerifyDevice(cert.Raw, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if id != "ztd-1234" || !bytes.Equal(got.Raw, cert.Raw) {
		t.Fatalf("VerifyDevice = %q", id)
	}
}

func TestCARefusals(t *testing.T) {
	t.Parallel()
	ca, other := newCA(t), newCA(t)
	key := mustECDSA(t)
	good := csrFor(t, key, "")
	badSig := bytes.Clone(good)
	badSig[len(badSig)-3] ^= 0x01
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}

	issueTests := []struct {
		name string
		csr  []byte
		ztd  string
		d    time.Duration
	}{
		{"bad CSR signature", badSig, "ztd", time.Hour},
		{"RSA key", csrFor(t, rsaKey, ""), "ztd", time.Hour},
		{"P-384 key", csrFor(t, p384, ""), "ztd", time.Hour},
		{"garbage CSR", []byte("csr"), "ztd", time.Hour},
		{"no ZTDId", good, "", time.Hour},
		{"no validity", good, "ztd", 0},
	}
	for _, tc := range issueTests {
		if _, err := ca.IssueDevice(tc.csr, tc.ztd, tc.d); err == nil {
			t.Errorf("IssueDevice with %s succeeded", tc.name)
		}
	}

	fromOther, err := other.IssueDevice(good, "ztd", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	short, err := ca.IssueDevice(good, "ztd", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	serverOnly, err := ca.IssueFor(good, pkix.Name{CommonName: "ztd"}, time.Hour, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth})
	if err != nil {
		t.Fatal(err)
	}
	verifyTests := []struct {
		name string
		der  []byte
		now  time.Time
	}{
		{"certificate from another CA", fromOther.Raw, time.Now()},
		{"expired certificate", short.Raw, time.Now().Add(2 * time.Hour)},
		{"not yet valid", short.Raw, time.Now().Add(-time.Hour)},
		{"not for client auth", serverOnly.Raw, time.Now()},
		{"the CA itself", ca.Cert.Raw, time.Now()},
		{"garbage", []byte("cert"), time.Now()},
	}
	for _, tc := range verifyTests {
		if _, _, err := ca.VerifyDevice(tc.der, tc.now); err == nil {
			t.Errorf("VerifyDevice accepted %s", tc.name)
		}
	}
}

func TestCAIssueFor(t *testing.T) {
	t.Parallel()
	ca := newCA(t)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	subject := pkix.Name{CommonName: "wifi-device", Organization: []string{"Contoso"}}
	eku := []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth}
	cert, err := ca.IssueFor(csrFor(t, rsaKey, "ignored"), subject, 10*365*24*time.Hour*3, eku)
	if err != nil {
		t.Fatal(err)
	}
	if cert.Subject.CommonName != "wifi-device" || len(cert.ExtKeyUsage) != 2 {
		t.Fatalf("subject %q EKU %v", cert.Subject, cert.ExtKeyUsage)
	}
	if cert.KeyUsage&x509.KeyUsageKeyEncipherment == 0 {
		t.Fatal("an RSA certificate without keyEncipherment")
	}
	if cert.NotAfter.After(ca.Cert.NotAfter) {
		t.Fatal("the certificate outlives its CA")
	}
	if _, err := cert.Verify(x509.VerifyOptions{Roots: poolOf(ca.Cert), KeyUsages: eku}); err != nil {
		t.Fatal(err)
	}
	if _, err := ca.IssueFor(csrFor(t, small, ""), subject, time.Hour, eku); err == nil {
		t.Fatal("IssueFor accepted RSA-1024")
	}
}

func TestCAPEMRoundTrip(t *testing.T) {
	t.Parallel()
	ca, other := newCA(t), newCA(t)
	certPEM, keyPEM, err := ca.MarshalPEM()
	if err != nil {
		t.Fatal(err)
	}
	back, err := attest.ParseCA(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := back.IssueDevice(csrFor(t, mustECDSA(t), ""), "ztd-9", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := ca.VerifyDevice(cert.Raw, time.Now()); err != nil {
		t.Fatalf("a certificate from the parsed CA does not verify with the original: %v", err)
	}
	_, otherKey, _ := other.MarshalPEM()
	tests := []struct {
		name      string
		cert, key []byte
	}{
		{"key of another CA", certPEM, otherKey},
		{"no certificate", nil, keyPEM},
		{"no key", certPEM, nil},
		{"swapped", keyPEM, certPEM},
	}
	for _, tc := range tests {
		if _, err := attest.ParseCA(tc.cert, tc.key); err == nil {
			t.Errorf("ParseCA accepted %s", tc.name)
		}
	}
}

func poolOf(c *x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(c)
	return p
}
