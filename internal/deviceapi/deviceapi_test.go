package deviceapi_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent/devclient"
	"github.com/whiteglove/whiteglove/internal/agent/hwinfo"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
	"github.com/whiteglove/whiteglove/internal/server"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
	"github.com/whiteglove/whiteglove/internal/tpm"
)

type env struct {
	t   *testing.T
	srv *server.Server
	url string
}

func start(t *testing.T, trust bool) *env {
	t.Helper()
	cfg := storetest.Config(t, storetest.Backends[0])
	srv, err := server.New(context.Background(), server.Config{DataDir: cfg.DataDir, DB: cfg.DSN, Demo: true, DemoDeployment: true, TrustSimulatedTPMs: trust},
		slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return &env{t: t, srv: srv, url: ts.URL}
}

// device is a software-TPM device registered with the service.
type device struct {
	tpm  tpm.TPM
	hash string
	api  *devclient.Client
	ztd  string
}

func (e *env) device(serial string, ca *tpm.ManufacturerCA) *device {
	e.t.Helper()
	ctx := context.Background()
	if ca == nil {
		ca = tpm.Simulation()
	}
	tp, err := tpm.OpenSoftware(e.t.TempDir(), ca)
	if err != nil {
		e.t.Fatal(err)
	}
	ek, err := tp.EK(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	hash := hwhash.EncodeString(hwinfo.Synthetic(serial, tpm.EKModulus(ek)))
	res, err := e.srv.Autopilot().ImportNow(ctx, "", []autopilot.Import{{SerialNumber: serial, HardwareHash: hash}})
	if err != nil || res[0].Status != autopilot.ImportComplete {
		e.t.Fatalf("import: %v %+v", err, res)
	}
	if _, err := e.srv.Manifests().Sync(ctx); err != nil {
		e.t.Fatal(err)
	}
	api, err := devclient.New(e.url, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	api.Backoff = nil
	return &device{tpm: tp, hash: hash, api: api, ztd: res[0].RegistrationID}
}

var osInfo = wire.OSInfo{Edition: "Enterprise", Build: 26100, Arch: "x64"}

// challenge starts attestation.
func (d *device) challenge(t *testing.T) (wire.AttestChallenge, []byte, error) {
	t.Helper()
	ctx := context.Background()
	ek, err := d.tpm.EK(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ak, err := d.tpm.NewAK(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := d.api.Attest(ctx, wire.AttestRequest{HardwareHash: d.hash, EKCertificate: ek.Certificate, AK: ak.Parameters(), TPM: d.tpm.Info(), OS: osInfo})
	if err != nil {
		return ch, nil, err
	}
	secret, err := ak.ActivateCredential(ctx, ch.Credential, ch.Secret)
	if err != nil {
		t.Fatalf("activating: %v", err)
	}
	return ch, secret, nil
}

func csr(t *testing.T, cn string) (*ecdsa.PrivateKey, []byte) {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	b, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: cn}}, k)
	if err != nil {
		t.Fatal(err)
	}
	return k, b
}

// enroll attests and enrolls the device, which then holds its certificate.
func (d *device) enroll(t *testing.T) wire.EnrollResponse {
	t.Helper()
	ch, secret, err := d.challenge(t)
	if err != nil {
		t.Fatal(err)
	}
	k, c := csr(t, d.ztd)
	res, err := d.api.Enroll(context.Background(), wire.EnrollRequest{ChallengeID: ch.ChallengeID, Secret: secret, CSR: c})
	if err != nil {
		t.Fatal(err)
	}
	d.api.SetIdentity(k, res.Certificate)
	return res
}

func code(err error) string {
	var p *wire.Problem
	if errors.As(err, &p) {
		return p.Code
	}
	return "no problem: " + strings.TrimSpace(func() string {
		if err == nil {
			return "nil"
		}
		return err.Error()
	}())
}

func TestAttestationRefusals(t *testing.T) {
	e := start(t, true)
	ctx := context.Background()

	t.Run("untrusted EK root", func(t *testing.T) {
		other, err := tpm.NewManufacturerCA("Unknown TPM vendor")
		if err != nil {
			t.Fatal(err)
		}
		d := e.device("UNTRUSTED-1", other)
		_, _, err = d.challenge(t)
		if code(err) != wire.CodeUntrustedTPM || !strings.Contains(err.Error(), "Unknown TPM vendor") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("wrong credential answer", func(t *testing.T) {
		d := e.device("WRONG-1", nil)
		ch, secret, err := d.challenge(t)
		if err != nil {
			t.Fatal(err)
		}
		secret[0] ^= 1
		_, c := csr(t, d.ztd)
		_, err = d.api.Enroll(ctx, wire.EnrollRequest{ChallengeID: ch.ChallengeID, Secret: secret, CSR: c})
		if code(err) != wire.CodeAttestation {
			t.Fatalf("wrong answer: %v", err)
		}
		// The challenge was spent by the wrong answer: the right one is refused too.
		secret[0] ^= 1
		_, err = d.api.Enroll(ctx, wire.EnrollRequest{ChallengeID: ch.ChallengeID, Secret: secret, CSR: c})
		if code(err) != wire.CodeChallengeUsed {
			t.Fatalf("right answer after a wrong one: %v", err)
		}
	})
	t.Run("replayed challenge", func(t *testing.T) {
		d := e.device("REPLAY-1", nil)
		ch, secret, err := d.challenge(t)
		if err != nil {
			t.Fatal(err)
		}
		_, c := csr(t, d.ztd)
		if _, err := d.api.Enroll(ctx, wire.EnrollRequest{ChallengeID: ch.ChallengeID, Secret: secret, CSR: c}); err != nil {
			t.Fatal(err)
		}
		_, err = d.api.Enroll(ctx, wire.EnrollRequest{ChallengeID: ch.ChallengeID, Secret: secret, CSR: c})
		if code(err) != wire.CodeChallengeUsed {
			t.Fatalf("replay: %v", err)
		}
	})
	t.Run("another TPM than the registered one", func(t *testing.T) {
		d := e.device("SWAP-1", nil)
		other, err := tpm.OpenSoftware(t.TempDir(), tpm.Simulation())
		if err != nil {
			t.Fatal(err)
		}
		d.tpm = other // the hash still carries the first TPM's EK
		_, _, err = d.challenge(t)
		if code(err) != wire.CodeAttestation || !strings.Contains(err.Error(), "endorsement key is not the one registered") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("unregistered device", func(t *testing.T) {
		d := e.device("KNOWN-1", nil)
		d.hash = hwhash.EncodeString(hwinfo.Synthetic("NOT-REGISTERED", nil))
		_, _, err := d.challenge(t)
		if code(err) != wire.CodeNotRegistered {
			t.Fatalf("got %v", err)
		}
	})
}

func TestSimulatedTPMsRefusedUnlessTrusted(t *testing.T) {
	e := start(t, false)
	d := e.device("SIM-1", nil)
	_, _, err := d.challenge(t)
	if code(err) != wire.CodeUntrustedTPM || !strings.Contains(err.Error(), "--trust-simulated-tpms") {
		t.Fatalf("got %v", err)
	}
}

func TestDeviceSeesOnlyItself(t *testing.T) {
	e := start(t, true)
	ctx := context.Background()
	a, b := e.device("SELF-A", nil), e.device("SELF-B", nil)
	a.enroll(t)
	b.enroll(t)
	sid := "session-of-device-b-0001"
	if err := b.api.OpenSession(ctx, wire.SessionRequest{SessionID: sid, Phase: wire.PhaseTechnician}); err != nil {
		t.Fatal(err)
	}
	// A cannot write B's timeline, nor take over its session id.
	_, err := a.api.Events(ctx, sid, []wire.Event{{Seq: 1, Time: timeNow(), Step: "x", Name: "x", State: "started"}})
	if code(err) != wire.CodeNotFound {
		t.Errorf("events into another device's session: %v", err)
	}
	if err := a.api.OpenSession(ctx, wire.SessionRequest{SessionID: sid, Phase: wire.PhaseTechnician}); err == nil {
		t.Error("a device reopened another device's session")
	}
	// The manifest route has no device parameter: each token reads its own.
	ma, err := a.api.Manifest(ctx, wire.PhaseTechnician, -1, 0)
	if err != nil || ma.ZTDID != a.ztd {
		t.Fatalf("A's manifest: %v %+v", err, ma.ZTDID)
	}
	// The user phase is issued only once a user signed in on this device.
	if _, err := b.api.Manifest(ctx, wire.PhaseUser, -1, 0); code(err) != wire.CodeNoUser {
		t.Errorf("user manifest before sign-in: %v", err)
	}
	// Content not in the device's manifest is not found; no token, no manifest.
	res, err := http.Get(e.url + wire.Prefix + "/manifest?phase=technician")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous manifest: %d", res.StatusCode)
	}
	err = a.api.Download(ctx, strings.Repeat("ab", 32), 0, t.TempDir()+"/x", nil)
	if code(err) != wire.CodeNotFound {
		t.Errorf("foreign content: %v", err)
	}
	// A forged token and a token of a deleted managed device are refused.
	req, _ := http.NewRequest("GET", e.url+wire.Prefix+"/me", nil)
	req.Header.Set("Authorization", "Bearer eyJtZCI6IngifQ.AAAA")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("forged token: %d", res.StatusCode)
	}
	st, err := a.api.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.srv.Enroll().DeleteManagedDevice(ctx, st.ManagedDeviceID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.api.Me(ctx); code(err) != wire.CodeUnauthorized {
		t.Errorf("deleted managed device still served: %v", err)
	}
}

func TestBadRequests(t *testing.T) {
	e := start(t, true)
	for _, tc := range []struct {
		name, path, ctype, body string
		want                    int
	}{
		{"not JSON", "/lookup", "application/json", "{", http.StatusBadRequest},
		{"trailing data", "/lookup", "application/json", `{"hardwareHash":"x"} {}`, http.StatusBadRequest},
		{"wrong media type", "/lookup", "text/plain", `{}`, http.StatusUnsupportedMediaType},
		{"garbage hash", "/lookup", "application/json", `{"hardwareHash":"!!!"}`, http.StatusOK},
		{"unknown route", "/nope", "application/json", `{}`, http.StatusNotFound},
		{"enroll unknown challenge", "/enroll", "application/json", `{"challengeId":"x","secret":"AA==","csr":"AA=="}`, http.StatusForbidden},
		{"token with junk nonce", "/token", "application/json", `{"certificate":"AA==","nonce":"x","signature":"AA=="}`, http.StatusUnauthorized},
		{"huge body", "/lookup", "application/json", `{"hardwareHash":"` + strings.Repeat("A", 2<<20) + `"}`, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := http.Post(e.url+wire.Prefix+tc.path, tc.ctype, bytes.NewBufferString(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var body map[string]any
			_ = json.NewDecoder(res.Body).Decode(&body)
			if res.StatusCode != tc.want {
				t.Fatalf("status %d, want %d: %v", res.StatusCode, tc.want, body)
			}
			if tc.want >= 400 && body["error"] == nil {
				t.Fatalf("no error body: %v", body)
			}
			if tc.name == "garbage hash" && body["problem"] == nil {
				t.Fatalf("garbage hash gave no problem: %v", body)
			}
		})
	}
}

func timeNow() time.Time { return time.Now().UTC() }
