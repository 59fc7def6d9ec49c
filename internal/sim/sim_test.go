package sim_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
	"github.com/whiteglove/whiteglove/internal/enroll"
	"github.com/whiteglove/whiteglove/internal/server"
	"github.com/whiteglove/whiteglove/internal/sim"
)

// service starts a real service (SQLite, the demo deployment, simulated
// TPMs trusted) behind an HTTP listener.
func service(t *testing.T) (*server.Server, string) {
	t.Helper()
	ctx := context.Background()
	srv, err := server.New(ctx, server.Config{DataDir: t.TempDir(), TenantName: "Contoso", TenantDomain: "contoso.example",
		Seats: 10, Demo: true, DemoDeployment: true, TrustSimulatedTPMs: true}, slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		t.Fatalf("starting the service: %v", err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return srv, ts.URL
}

func TestFleetReachesReseal(t *testing.T) {
	if testing.Short() {
		t.Skip("runs five devices against a real service")
	}
	srv, url := service(t)
	ctx := context.Background()
	const install = 20 * time.Millisecond
	var (
		mu         sync.Mutex
		registered []string
	)
	var out bytes.Buffer
	cfg := sim.Config{
		Server: url, Devices: 5, Concurrency: 3, StateDir: t.TempDir(), Prefix: "T",
		Model: func(wire.Item) time.Duration { return install },
		Register: func(ctx context.Context, serial, hash string) error {
			mu.Lock()
			registered = append(registered, serial)
			mu.Unlock()
			_, err := srv.Autopilot().ImportNow(ctx, "", []autopilot.Import{{SerialNumber: serial, HardwareHash: hash}})
			return err
		},
		Ready: func(ctx context.Context) error { _, err := srv.Manifests().Sync(ctx); return err },
		Out:   &out,
	}
	rep, err := sim.Run(ctx, cfg)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if err := rep.Err(); err != nil {
		t.Fatalf("fleet: %v\n%s", err, out.String())
	}
	if rep.Sealed != 5 || len(rep.Devices) != 5 || rep.Concurrency != 3 {
		t.Fatalf("sealed %d of %d at %d at once, want 5 of 5 at 3", rep.Sealed, len(rep.Devices), rep.Concurrency)
	}
	if len(registered) != 5 {
		t.Fatalf("Register called for %v, want 5 devices", registered)
	}
	apps := len(srv.Deployment.Apps)
	for i, d := range rep.Devices {
		if want := sim.Serial("T", i); d.Serial != want {
			t.Errorf("device %d is %s, want %s", i, d.Serial, want)
		}
		if d.Stage != agent.StageSealed || d.ZTDID == "" || d.Boots != 1 {
			t.Errorf("%s: stage %q, ZTDId %q, %d boots; want sealed with an id after 1 boot", d.Serial, d.Stage, d.ZTDID, d.Boots)
		}
		if d.Overhead != d.Wall-d.Install || d.Wall <= 0 || d.Overhead <= 0 {
			t.Errorf("%s: wall %s, installs %s, overhead %s: want overhead = wall − installs, all positive", d.Serial, d.Wall, d.Install, d.Overhead)
		}
		// The demo deployment gives every device two apps in the
		// technician phase (the third is for Sales users), each modeled.
		if d.Install < 2*install || d.Install > d.Wall {
			t.Errorf("%s: %s inside installs, want at least two modeled installs (%s) and no more than the wall time %s", d.Serial, d.Install, 2*install, d.Wall)
		}
		if d.Items < 2 || d.Records <= d.Items || d.Calls < 5 {
			t.Errorf("%s: %d items, %d journal records, %d calls: want the deployment applied through the service", d.Serial, d.Items, d.Records, d.Calls)
		}
		if !strings.Contains(out.String(), d.Serial+"  sealed") {
			t.Errorf("no progress line for %s in:\n%s", d.Serial, out.String())
		}
		tl, err := srv.Enroll().Timeline(ctx, d.ZTDID)
		if err != nil {
			t.Fatalf("%s: timeline: %v", d.Serial, err)
		}
		var tech *enroll.SessionTimeline
		for i := range tl.Sessions {
			if tl.Sessions[i].Session.Phase == wire.PhaseTechnician && tl.Sessions[i].Session.State == enroll.SessionSucceeded {
				tech = &tl.Sessions[i]
			}
		}
		if tech == nil {
			t.Errorf("%s: no succeeded technician session in the service's timeline (%d sessions)", d.Serial, len(tl.Sessions))
			continue
		}
		// Every journal record of the phase reached the service, in order.
		if len(tech.Events) < d.Records-2 {
			t.Errorf("%s: the service has %d events of the phase, the device journaled %d", d.Serial, len(tech.Events), d.Records)
		}
		installed := 0
		for _, e := range tech.Events {
			if e.Step == "item" && e.State == "succeeded" && strings.HasPrefix(e.Detail, "modeled install") {
				installed++
			}
		}
		if installed < 2 || installed > apps {
			t.Errorf("%s: %d modeled installs in the service's timeline, want 2..%d", d.Serial, installed, apps)
		}
	}
	if rep.Wall.N != 5 || rep.Overhead.N != 5 || rep.Overhead.P50 <= 0 || rep.Overhead.Max < rep.Overhead.P99 || rep.Wall.Max < rep.Overhead.Max {
		t.Errorf("aggregates: wall %+v, overhead %+v", rep.Wall, rep.Overhead)
	}
	var printed bytes.Buffer
	rep.Print(&printed)
	t.Logf("%s%s", out.String(), printed.String())
	if !strings.Contains(printed.String(), "5 sealed, 0 failed") || !strings.Contains(printed.String(), "overhead") {
		t.Errorf("report:\n%s", printed.String())
	}

	// A second run of the same fleet does not pretend: the devices are
	// sealed and say so, without calling the service.
	cfg.Register, cfg.Ready, cfg.Out = nil, nil, nil
	again, err := sim.Run(ctx, cfg)
	if err != nil {
		t.Fatalf("second Run: %v", err)
	}
	if again.Sealed != 0 || len(again.Failed) != 5 || !strings.Contains(again.Err().Error(), "already pre-provisioned") {
		t.Errorf("second run: %d sealed, %d failed, %v; want every device refused as already pre-provisioned", again.Sealed, len(again.Failed), again.Err())
	}
}

func TestUnregisteredDeviceFails(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a device against a real service")
	}
	_, url := service(t)
	rep, err := sim.Run(context.Background(), sim.Config{Server: url, Devices: 1, StateDir: t.TempDir(), Patience: -1})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if rep.Sealed != 0 || len(rep.Failed) != 1 {
		t.Fatalf("%d sealed, %d failed; want the unregistered device to fail", rep.Sealed, len(rep.Failed))
	}
	if err := rep.Err(); err == nil || !strings.Contains(err.Error(), wire.CodeNotRegistered) {
		t.Errorf("error %v, want the service's %s problem", err, wire.CodeNotRegistered)
	}
	var out bytes.Buffer
	rep.Print(&out)
	if !strings.Contains(out.String(), "FAILURES (1)") || !strings.Contains(out.String(), "SIM-0001") {
		t.Errorf("report:\n%s", out.String())
	}
}

func TestFleetKeepsIdentity(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	first, err := sim.Fleet(ctx, dir, "ID", 3)
	if err != nil {
		t.Fatal(err)
	}
	again, err := sim.Fleet(ctx, dir, "ID", 3)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i := range first {
		if first[i] != again[i] {
			t.Errorf("device %d changed between runs: %+v then %+v", i, first[i].Serial, again[i].Serial)
		}
		if first[i].Dir != filepath.Join(dir, first[i].Serial) {
			t.Errorf("%s kept in %s", first[i].Serial, first[i].Dir)
		}
		if seen[first[i].Hash] {
			t.Errorf("%s has another device's hash", first[i].Serial)
		}
		seen[first[i].Hash] = true
	}

	// The CSV registers the same devices through the service's importer.
	rows, err := sim.Hashes(ctx, dir, "ID", 3)
	if err != nil {
		t.Fatal(err)
	}
	var csv bytes.Buffer
	if err := sim.WriteCSV(&csv, rows); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(csv.String(), "Device Serial Number,Windows Product ID,Hardware Hash\r\n") {
		t.Fatalf("CSV starts %q", csv.String()[:min(80, csv.Len())])
	}
	srv, _ := service(t)
	sum, err := srv.Autopilot().ImportCSV(ctx, &csv, func(autopilot.RowResult) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != 3 {
		t.Fatalf("imported %+v, want 3 devices", sum)
	}
}

func TestPercentile(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		var out []time.Duration
		for _, n := range ns {
			out = append(out, time.Duration(n)*time.Millisecond)
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	for _, c := range []struct {
		name        string
		in          []time.Duration
		p50, p99, x time.Duration
	}{
		{"empty", nil, 0, 0, 0},
		{"one", ms(7), 7 * time.Millisecond, 7 * time.Millisecond, 7 * time.Millisecond},
		{"unsorted", ms(5, 1, 4, 2, 3), 3 * time.Millisecond, 5 * time.Millisecond, 5 * time.Millisecond},
		{"even", ms(1, 2, 3, 4), 2 * time.Millisecond, 4 * time.Millisecond, 4 * time.Millisecond},
		{"hundred", ms(hundred...), 50 * time.Millisecond, 99 * time.Millisecond, 100 * time.Millisecond},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := sim.Summarize(c.in)
			if s.P50 != c.p50 || s.P99 != c.p99 || s.Max != c.x || s.N != len(c.in) {
				t.Errorf("Summarize = %+v, want p50 %s p99 %s max %s", s, c.p50, c.p99, c.x)
			}
		})
	}
}
