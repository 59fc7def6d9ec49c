package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent"
	"github.com/whiteglove/whiteglove/internal/agent/journal"
	"github.com/whiteglove/whiteglove/internal/agent/winenv"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/demo"
	"github.com/whiteglove/whiteglove/internal/enroll"
	"github.com/whiteglove/whiteglove/internal/server"
)

// asMain makes the test binary act as the whiteglove command, so the tests
// run the real client in its own process (one TPM simulator per process,
// and a power cut is a real process exit).
const asMain = "WHITEGLOVE_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMain) == "1" {
		if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "whiteglove:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// fleet is a running service with the demo deployment.
type fleet struct {
	t   *testing.T
	srv *server.Server
	url string
}

func newFleet(t *testing.T) *fleet {
	t.Helper()
	srv, err := server.New(context.Background(), server.Config{DataDir: t.TempDir(), Demo: true, DemoDeployment: true, TrustSimulatedTPMs: true},
		slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return &fleet{t: t, srv: srv, url: ts.URL}
}

// wg runs the whiteglove command in a child process.
func (f *fleet) wg(env []string, args ...string) (string, int) {
	f.t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), asMain+"=1"), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return out.String(), ee.ExitCode()
	}
	if err != nil {
		f.t.Fatalf("running whiteglove %v: %v", args, err)
	}
	return out.String(), 0
}

// register collects a device's hash with its TPM and imports it.
func (f *fleet) register(state, tpmKind, serial string) autopilot.Device {
	f.t.Helper()
	csvPath := filepath.Join(f.t.TempDir(), "hash.csv")
	if out, rc := f.wg(nil, "hash", "--state", state, "--tpm", tpmKind, "--serial", serial, "--append", csvPath); rc != 0 {
		f.t.Fatalf("hash: %d %s", rc, out)
	}
	b, err := os.ReadFile(csvPath)
	if err != nil {
		f.t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(rows) != 2 {
		f.t.Fatalf("hash CSV: %v %q", err, b)
	}
	ctx := context.Background()
	res, err := f.srv.Autopilot().ImportNow(ctx, "", []autopilot.Import{{SerialNumber: rows[1][0], HardwareHash: rows[1][2]}})
	if err != nil || res[0].Status != autopilot.ImportComplete {
		f.t.Fatalf("import: %v %+v", err, res)
	}
	if _, err := f.srv.Manifests().Sync(ctx); err != nil {
		f.t.Fatal(err)
	}
	d, err := f.srv.Autopilot().Store().AutopilotDevice(ctx, res[0].RegistrationID)
	if err != nil {
		f.t.Fatal(err)
	}
	return d
}

func (f *fleet) technician(state, tpmKind, serial string, env ...string) (string, int) {
	return f.wg(env, "device", "--server", f.url, "--state", state, "--tpm", tpmKind, "--serial", serial, "--auto", "technician")
}

// installs counts the demo installers' runs on a device, by app.
func installs(t *testing.T, state string) map[string]int {
	t.Helper()
	env, err := winenv.Open(filepath.Join(state, "root"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := env.Path(demo.InstallLog, "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]int{}
	}
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		out[l]++
	}
	return out
}

func TestTechnicianFlowWithTPMSimulator(t *testing.T) {
	f := newFleet(t)
	ctx := context.Background()
	state := filepath.Join(t.TempDir(), "device")
	d := f.register(state, "simulator", "E2E-0001")

	out, rc := f.technician(state, "simulator", "E2E-0001")
	if rc != 0 || !strings.Contains(out, "resealed after") {
		t.Fatalf("technician flow: rc %d\n%s", rc, out)
	}
	for _, want := range []string{"== configuration: profile \"Contoso pre-provisioned\"", "attestation  succeeded", "Contoso Tools — installed and detected",
		"Contoso VPN Client — installed and detected", "certificate issued: CN=CONTOSO-", "== success"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Real effects on the device: files, registry, certificate, one run per installer.
	got := installs(t, state)
	if got[demo.AppTools] != 1 || got[demo.AppVPN] != 1 || len(got) != 2 {
		t.Errorf("installer runs = %v, want Tools and VPN once each (Notes waits for the user)", got)
	}
	env, _ := winenv.Open(filepath.Join(state, "root"))
	if v, ok, err := env.Registry().Get(`HKLM\SOFTWARE\Microsoft\PolicyManager\current\device\DeviceLock`, "MinDevicePasswordLength"); err != nil || !ok || v.Data != "12" {
		t.Errorf("baseline setting = %+v %v %v", v, ok, err)
	}
	if ok, err := env.MSIDetect(demo.VPNProductCode, "2.1.0"); err != nil || !ok {
		t.Errorf("VPN product not registered: %v %v", ok, err)
	}
	st, err := agent.LoadState(state)
	if err != nil || st.Stage != agent.StageSealed {
		t.Fatalf("device state = %+v %v", st, err)
	}
	// The service's view: enrolled, sealed, a named timeline.
	md, err := f.srv.Enroll().ManagedDevice(ctx, st.ManagedDeviceID)
	if err != nil || md.Stage != enroll.StageSealed || md.TPMKind != "simulator" {
		t.Fatalf("managed device = %+v %v", md, err)
	}
	ap, _ := f.srv.Autopilot().Store().AutopilotDevice(ctx, d.ID)
	if ap.EnrollmentState != autopilot.EnrollmentEnrolled || ap.ManagedDeviceID != md.ID {
		t.Errorf("autopilot device = %s %s", ap.EnrollmentState, ap.ManagedDeviceID)
	}
	eventually(t, func() error {
		tl, err := f.srv.Enroll().Timeline(ctx, d.ID)
		if err != nil {
			return err
		}
		if len(tl.Sessions) != 1 || tl.Sessions[0].State != enroll.SessionSucceeded {
			return fmt.Errorf("sessions = %+v", tl.Sessions)
		}
		names := map[string]bool{}
		for _, e := range tl.Sessions[0].Events {
			names[e.Step+"/"+e.Name+"/"+e.State] = true
		}
		for _, want := range []string{"attestation/Securing your hardware/succeeded", "item/Contoso Tools/succeeded", "reseal/Reseal/succeeded"} {
			if !names[want] {
				return fmt.Errorf("timeline lacks %s (%d events)", want, len(tl.Sessions[0].Events))
			}
		}
		return nil
	})

	// A second pre-provisioning of the same device (its TPM kept, the rest
	// wiped, as Reset does) is refused until an admin allows it.
	again := filepath.Join(t.TempDir(), "again")
	copyTPM(t, state, again)
	out, rc = f.technician(again, "simulator", "E2E-0001")
	if rc == 0 || !strings.Contains(out, "DeviceAlreadyProvisioned") || !strings.Contains(out, "allowNextEnrollment") {
		t.Fatalf("second run: rc %d\n%s", rc, out)
	}
	if err := f.srv.Autopilot().AllowNextEnrollment(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	third := filepath.Join(t.TempDir(), "third")
	copyTPM(t, state, third)
	if out, rc := f.technician(third, "simulator", "E2E-0001"); rc != 0 {
		t.Fatalf("after allowNextEnrollment: rc %d\n%s", rc, out)
	}
}

func copyTPM(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o700); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(from)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "tpm-") {
			b, err := os.ReadFile(filepath.Join(from, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestPowerLossResumes cuts the power right after the k-th journal record
// of boot k (k = 1, 2, 3, …): the technician flow is interrupted in
// requirements, attestation, enrollment, policies, downloads, installs and
// reseal; each time the client restarts from its state directory and
// resumes, and in the end every installer has run exactly once.
func TestPowerLossResumes(t *testing.T) {
	f := newFleet(t)
	state := filepath.Join(t.TempDir(), "device")
	f.register(state, "software", "CRASH-0001")
	crashes := 0
	for k := 1; ; k++ {
		if k > 120 {
			t.Fatalf("no progress after %d power cuts", crashes)
		}
		out, rc := f.technician(state, "software", "CRASH-0001", fmt.Sprintf("%s=%d", journal.CrashEnv, k))
		if rc == journal.CrashExitCode {
			crashes++
			if st, _ := agent.LoadState(state); st.Stage == agent.StageSealed {
				break // the power went out as the device shut down
			}
			continue
		}
		if rc != 0 {
			t.Fatalf("boot after %d power cuts (k=%d): rc %d\n%s", crashes, k, rc, out)
		}
		break
	}
	if crashes < 8 {
		t.Errorf("only %d power cuts happened; the flow should have been cut at many points", crashes)
	}
	got := installs(t, state)
	if got[demo.AppTools] != 1 || got[demo.AppVPN] != 1 {
		t.Errorf("after %d power cuts, installer runs = %v, want each exactly once", crashes, got)
	}
	st, err := agent.LoadState(state)
	if err != nil || st.Stage != agent.StageSealed {
		t.Fatalf("state = %+v %v", st, err)
	}
	t.Logf("sealed after %d power cuts", crashes)
}

func eventually(t *testing.T, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := fn()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestPowerLossDuringUserPhase pre-provisions a device, then cuts the power
// at increasing points of its user flow: the sign-in is kept, the user
// phase resumes, and each installer runs once.
func TestPowerLossDuringUserPhase(t *testing.T) {
	f := newFleet(t)
	state := filepath.Join(t.TempDir(), "device")
	f.register(state, "software", "USERCUT-1")
	if out, rc := f.technician(state, "software", "USERCUT-1"); rc != 0 {
		t.Fatalf("technician: %d\n%s", rc, out)
	}
	crashes := 0
	for k := 1; ; k++ {
		if k > 60 {
			t.Fatalf("no desktop after %d power cuts", crashes)
		}
		out, rc := f.wg([]string{fmt.Sprintf("%s=%d", journal.CrashEnv, k), "WHITEGLOVE_PASSWORD=" + demo.Password},
			"device", "--server", f.url, "--state", state, "--tpm", "software", "--serial", "USERCUT-1", "--auto", "user", "--user", "alice@contoso.example")
		st, _ := agent.LoadState(state)
		if rc == journal.CrashExitCode {
			crashes++
			if st.Stage == agent.StageDesktop {
				break
			}
			continue
		}
		if rc != 0 || st.Stage != agent.StageDesktop {
			t.Fatalf("boot after %d power cuts: rc %d, stage %s\n%s", crashes, rc, st.Stage, out)
		}
		break
	}
	if crashes < 5 {
		t.Errorf("only %d power cuts happened", crashes)
	}
	got := installs(t, state)
	if got[demo.AppTools] != 1 || got[demo.AppVPN] != 1 || got["Contoso Notes (alice)"] != 1 {
		t.Errorf("after %d power cuts in the user flow, installer runs = %v", crashes, got)
	}
	t.Logf("desktop after %d power cuts", crashes)
}
