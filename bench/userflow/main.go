// Command userflow measures the headline of pre-provisioning: the time
// from power-on to the desktop for a pre-provisioned device's user flow,
// against the same device deployed user-driven (no pre-provisioning), in
// one run, with the same tenant (the demo deployment) and the same
// modeled install durations. Policies, certificates, scripts, the journal
// and every device API call are real; only the time inside app installers
// is modeled.
//
//	go run ./bench/userflow [-devices 5] [-install-ms 2000] [-db postgres://…]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent"
	"github.com/whiteglove/whiteglove/internal/agent/auto"
	"github.com/whiteglove/whiteglove/internal/agent/hwinfo"
	"github.com/whiteglove/whiteglove/internal/agent/winenv"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
	"github.com/whiteglove/whiteglove/internal/demo"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
	"github.com/whiteglove/whiteglove/internal/server"
	"github.com/whiteglove/whiteglove/internal/tpm"
)

func main() {
	winenv.RunRegIfAsked()
	devices := flag.Int("devices", 5, "devices per deployment kind (run one after another)")
	installMS := flag.Int("install-ms", 2000, "modeled duration of each app install, in milliseconds")
	dsn := flag.String("db", "", "PostgreSQL DSN; empty = temporary SQLite")
	flag.Parse()
	if err := run(*devices, time.Duration(*installMS)*time.Millisecond, *dsn, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "userflow:", err)
		os.Exit(1)
	}
}

type device struct {
	serial, dir string
	tpm         tpm.TPM
}

func run(n int, install time.Duration, dsn string, out io.Writer) error {
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "whiteglove-userflow-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	srv, err := server.New(ctx, server.Config{DataDir: filepath.Join(tmp, "data"), DB: dsn, Demo: true, DemoDeployment: true, TrustSimulatedTPMs: true},
		slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		return err
	}
	defer srv.Close()
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	domain := srv.Tenant.Domain
	user := "alice@" + domain // in Sales: the user phase installs Contoso Notes

	make := func(prefix string) ([]device, error) {
		var ds []device
		var imports []autopilot.Import
		for i := 1; i <= n; i++ {
			serial := fmt.Sprintf("%s-%04d", prefix, i)
			dir := filepath.Join(tmp, serial)
			t, err := tpm.OpenSoftware(dir, tpm.Simulation())
			if err != nil {
				return nil, err
			}
			ek, err := t.EK(ctx)
			if err != nil {
				return nil, err
			}
			imports = append(imports, autopilot.Import{SerialNumber: serial, AssignedUPN: user,
				HardwareHash: hwhash.EncodeString(hwinfo.Synthetic(serial, tpm.EKModulus(ek)))})
			ds = append(ds, device{serial: serial, dir: dir, tpm: t})
		}
		res, err := srv.Autopilot().ImportNow(ctx, "", imports)
		if err != nil {
			return nil, err
		}
		for _, r := range res {
			if r.Status != autopilot.ImportComplete {
				return nil, fmt.Errorf("registering %s: %s", r.SerialNumber, r.ErrorName)
			}
		}
		_, err = srv.Manifests().Sync(ctx)
		return ds, err
	}
	model := func(wire.Item) time.Duration { return install }
	runOne := func(d device, mode string) (agent.Result, error) {
		cfg := agent.Config{Server: ts.URL, StateDir: d.dir, TPM: d.tpm, OS: demo.DeviceOS, Facts: demo.DeviceFacts, Model: model,
			Hash: func(_ context.Context, ek []byte) (*hwhash.Hash, error) { return hwinfo.Synthetic(d.serial, ek), nil }}
		return auto.Run(ctx, cfg, mode, auto.Credentials{UPN: user, Password: demo.Password}, nil)
	}

	pre, err := make("PRE")
	if err != nil {
		return err
	}
	driven, err := make("UDR")
	if err != nil {
		return err
	}
	var tech, preUser, udUser, preInst, udInst []time.Duration
	for _, d := range pre {
		r, err := runOne(d, auto.Technician)
		if err != nil {
			return fmt.Errorf("%s technician flow: %w", d.serial, err)
		}
		tech = append(tech, r.Elapsed)
		r, err = runOne(d, auto.User)
		if err != nil {
			return fmt.Errorf("%s user flow: %w", d.serial, err)
		}
		preUser, preInst = append(preUser, r.Elapsed), append(preInst, r.InstallTime)
	}
	for _, d := range driven {
		r, err := runOne(d, auto.User)
		if err != nil {
			return fmt.Errorf("%s user-driven flow: %w", d.serial, err)
		}
		udUser, udInst = append(udUser, r.Elapsed), append(udInst, r.InstallTime)
	}
	fmt.Fprintf(out, "power-on to desktop, demo deployment (device phase: 2 apps, 3 policies, 1 script; user phase: 1 app), app installs modeled at %s each, %d devices each, one at a time, SQLite=%v\n",
		install, n, dsn == "")
	fmt.Fprintf(out, "  pre-provisioned: technician phase (at the bench) p50 %s; user flow p50 %s, p90 %s (inside installs p50 %s)\n",
		p(tech, 50), p(preUser, 50), p(preUser, 90), p(preInst, 50))
	fmt.Fprintf(out, "  user-driven:     user flow p50 %s, p90 %s (inside installs p50 %s)\n", p(udUser, 50), p(udUser, 90), p(udInst, 50))
	fmt.Fprintf(out, "  ratio user-driven / pre-provisioned (p50): %.2fx — the user waits %s less\n",
		p(udUser, 50).Seconds()/p(preUser, 50).Seconds(), (p(udUser, 50) - p(preUser, 50)).Round(time.Millisecond))
	return nil
}

// p is the nearest-rank percentile.
func p(ds []time.Duration, pct int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (pct*len(s)+99)/100 - 1
	return s[max(0, min(i, len(s)-1))].Round(time.Millisecond)
}
