package demo

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent"
	"github.com/whiteglove/whiteglove/internal/agent/auto"
	"github.com/whiteglove/whiteglove/internal/agent/hwinfo"
	"github.com/whiteglove/whiteglove/internal/agent/winenv"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
	"github.com/whiteglove/whiteglove/internal/enroll"
	"github.com/whiteglove/whiteglove/internal/manifest"
	"github.com/whiteglove/whiteglove/internal/tpm"
)

// Rehearsal is what a demo deployment runs against.
type Rehearsal struct {
	URL       string // the running service
	Dir       string // where the demo devices keep their state
	Devices   int
	Domain    string // the tenant's domain, for the users' UPNs
	Autopilot *autopilot.Service
	Manifests *manifest.Service
	Enroll    *enroll.Service
	Claims    Claimer
	Out       io.Writer
}

// DeviceFacts are the demo devices' hardware as requirement rules see it.
var DeviceFacts = winenv.Facts{Build: 26100, Arch: "x64", FreeDiskMB: 200_000, MemoryMB: 16_384, Processors: 8, CPUSpeedMHz: 2_400}

// DeviceOS is what the demo devices report.
var DeviceOS = wire.OSInfo{Edition: "Enterprise", Build: 26100, Arch: "x64"}

// Rehearse runs a short pre-provisioned deployment once per data
// directory, printing what happens: devices registered from a CSV,
// technician flows to reseal, user flows to the desktop, and each device's
// named timeline from the service.
func Rehearse(ctx context.Context, r Rehearsal) error {
	first, err := r.Claims.ClaimOnce(ctx, "demo-rehearsal")
	if err != nil || !first {
		return err
	}
	out := r.Out
	say := func(format string, args ...any) { fmt.Fprintf(out, format+"\n", args...) }
	say("\n== whiteglove demo: a pre-provisioned deployment of %d devices against %s ==", r.Devices, r.URL)
	if err := os.MkdirAll(r.Dir, 0o700); err != nil {
		return err
	}
	users := []string{"alice", "bob", ""}
	csvPath := filepath.Join(r.Dir, "devices.csv")
	type dev struct {
		serial, user string
		t            tpm.TPM
		dir          string
	}
	var devs []dev
	rows := [][]string{{hwinfo.ColSerial, hwinfo.ColProductID, hwinfo.ColHash, hwinfo.ColGroupTag, hwinfo.ColAssignedUser}}
	for i := 1; i <= r.Devices; i++ {
		serial := fmt.Sprintf("DEMO-%04d", i)
		dir := filepath.Join(r.Dir, serial)
		t, err := tpm.OpenSoftware(dir, tpm.Simulation())
		if err != nil {
			return err
		}
		defer t.Close()
		ek, err := t.EK(ctx)
		if err != nil {
			return err
		}
		user := ""
		if u := users[(i-1)%len(users)]; u != "" {
			user = u + "@" + r.Domain
		}
		row, err := hwinfo.Row(hwinfo.Synthetic(serial, tpm.EKModulus(ek)), "", user)
		if err != nil {
			return err
		}
		rows = append(rows, []string{row.Serial, row.ProductID, row.Hash, "Demo", user})
		devs = append(devs, dev{serial: serial, user: user, t: t, dir: dir})
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	if err := os.WriteFile(csvPath, buf.Bytes(), 0o600); err != nil {
		return err
	}
	f, err := os.Open(csvPath)
	if err != nil {
		return err
	}
	sum, err := r.Autopilot.ImportCSV(ctx, f, func(autopilot.RowResult) error { return nil })
	f.Close()
	if err != nil {
		return fmt.Errorf("importing the demo devices: %w", err)
	}
	say("1. registered %d devices from %s (%d imported, %d not)", r.Devices, csvPath, sum.Imported, sum.Failed)
	if _, err := r.Manifests.Sync(ctx); err != nil {
		return err
	}
	run := func(d dev, mode string, creds auto.Credentials) (agent.Result, error) {
		pw := &prefixed{w: out, prefix: "   " + d.serial + " "}
		cfg := agent.Config{Server: r.URL, StateDir: d.dir, TPM: d.t, OS: DeviceOS, Facts: DeviceFacts,
			Hash: func(_ context.Context, ek []byte) (*hwhash.Hash, error) { return hwinfo.Synthetic(d.serial, ek), nil },
			Log:  slog.New(slog.DiscardHandler)}
		return auto.Run(ctx, cfg, mode, creds, pw)
	}
	say("2. technician flows (TPM attestation, enrollment, device ESP) until Reseal:")
	if err := parallel(devs, func(d dev) error {
		res, err := run(d, auto.Technician, auto.Credentials{})
		if err == nil {
			say("   %s resealed after %s", d.serial, res.Elapsed.Round(time.Millisecond))
		}
		return err
	}); err != nil {
		return err
	}
	say("3. the devices ship; their users power them on and sign in:")
	if err := parallel(devs, func(d dev) error {
		upn := d.user
		if upn == "" {
			upn = "bob@" + r.Domain
		}
		res, err := run(d, auto.User, auto.Credentials{UPN: upn, Password: Password})
		if err == nil {
			say("   %s: %s reached the desktop %s after power-on", d.serial, upn, res.Elapsed.Round(time.Millisecond))
		}
		return err
	}); err != nil {
		return err
	}
	say("4. the named timelines, as the service keeps them (GET /api/autopilot/devices/{ztdId}/timeline):")
	for _, d := range devs {
		st, err := agent.LoadState(d.dir)
		if err != nil {
			return err
		}
		tl, err := r.Enroll.Timeline(ctx, st.ZTDID)
		if err != nil {
			return err
		}
		PrintTimeline(out, d.serial, tl)
	}
	say("== demo done: the service keeps running at %s — sign in as admin@%s / %s, or enroll another device: whiteglove device --help ==\n", r.URL, r.Domain, Password)
	return nil
}

// PrintTimeline writes a device's sessions with their named steps.
func PrintTimeline(w io.Writer, name string, tl enroll.Timeline) {
	fmt.Fprintf(w, "   %s (ZTDId %s): %.2fs provisioning, %.2fs on the shelf between reseal and power-on\n", name, tl.ZTDID, tl.ProvisioningSeconds, tl.ShelfSeconds)
	for _, s := range tl.Sessions {
		fmt.Fprintf(w, "     %s phase — %s in %.3fs\n", s.Phase, s.State, s.Seconds)
		for _, e := range s.Events {
			switch e.Step {
			case "detect", "download", "install", "requirements":
				continue // details: GET …/timeline has them
			}
			if e.State == "started" {
				continue
			}
			line := fmt.Sprintf("       +%7.3fs %-11s %-9s %s", e.Time.Sub(s.StartedAt).Seconds(), e.Step, e.State, e.Name)
			if e.Error != "" {
				line += " — " + e.Error
			}
			fmt.Fprintln(w, line)
		}
	}
}

func parallel[T any](items []T, fn func(T) error) error {
	var wg sync.WaitGroup
	errs := make([]error, len(items))
	for i, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn(it)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// prefixed writes each line with a prefix (one device's screens).
type prefixed struct {
	mu     sync.Mutex
	w      io.Writer
	prefix string
}

func (p *prefixed) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if strings.HasPrefix(l, "== configuration") || strings.HasPrefix(l, "== blocked") || strings.HasPrefix(l, "== failure") || strings.HasPrefix(l, "== pending") {
			fmt.Fprintln(p.w, p.prefix+l)
		}
	}
	return len(b), nil
}
