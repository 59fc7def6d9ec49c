// Command technician measures the orchestration overhead of the technician
// phase: with the software TPM and modeled installs, the phase's wall time
// minus the time spent inside installers and scripts, per device (p50, p99,
// max), for one device alone and then for a fleet of devices running at
// once against one service. Target: p50 <= 1 s.
//
// The service runs in this process behind a real HTTP listener (SQLite in
// a temporary directory, or -db postgres://… in a schema of its own) with
// the demo deployment: two apps (modeled), three policies (a settings
// baseline, a device certificate — a real CSR signed by the service — and
// a Wi-Fi profile) and a script, all run for real except the installers.
//
// The ceiling, measured in the same run on the same machine, is the bare
// work a phase cannot avoid: its device API calls, each costed as a bare
// net/http round trip to a handler that does nothing, plus its journal
// records, each costed as a bare fsynced append of a record-sized line to
// a file on the devices' file system. It leaves out the atomic state-file
// replacements, the TPM and certificate cryptography and the database,
// so it is a lower bound and the ratio errs against the implementation.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/whiteglove/whiteglove/internal/agent/winenv"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
	"github.com/whiteglove/whiteglove/internal/server"
	"github.com/whiteglove/whiteglove/internal/sim"
)

func main() {
	winenv.RunRegIfAsked() // installers call "$WHITEGLOVE" reg: this program
	devices := flag.Int("devices", 100, "devices in the concurrent run")
	conc := flag.Int("concurrency", 0, "how many of them run at once (0 = all)")
	installMS := flag.Int("install-ms", 200, "modeled duration of each app install, in milliseconds")
	dsn := flag.String("db", "", "PostgreSQL DSN; empty = temporary SQLite")
	state := flag.String("state", "", "where the devices' state lives (default: a temporary directory)")
	timeout := flag.Duration("timeout", 3*time.Minute, "give up on the concurrent run after this long (devices still running count as failed)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run here")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(context.Background(), *devices, *conc, time.Duration(*installMS)*time.Millisecond, *dsn, *state, *timeout); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, n, conc int, install time.Duration, dsn, state string, timeout time.Duration) error {
	tmp, err := os.MkdirTemp(state, "wg-bench-technician-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	db, cleanup, err := database(ctx, dsn)
	if err != nil {
		return err
	}
	defer cleanup()
	srv, err := server.New(ctx, server.Config{DataDir: filepath.Join(tmp, "service"), DB: db, TenantName: "Contoso", TenantDomain: "contoso.example",
		Seats: 25, Demo: true, DemoDeployment: true, TrustSimulatedTPMs: true}, slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		return fmt.Errorf("starting the service: %w", err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	// The devices exist (TPMs made) and are registered before any clock runs.
	devDir := filepath.Join(tmp, "devices")
	start := time.Now()
	one, err := sim.Fleet(ctx, devDir, "ONE", 1)
	if err != nil {
		return err
	}
	fleet, err := sim.Fleet(ctx, devDir, "FLEET", n)
	if err != nil {
		return err
	}
	var imports []autopilot.Import
	for _, m := range append(one, fleet...) {
		imports = append(imports, autopilot.Import{SerialNumber: m.Serial, HardwareHash: m.Hash})
	}
	if _, err := srv.Autopilot().ImportNow(ctx, "", imports); err != nil {
		return fmt.Errorf("registering the devices: %w", err)
	}
	if _, err := srv.Manifests().Sync(ctx); err != nil {
		return fmt.Errorf("computing the manifests: %w", err)
	}
	backend := "SQLite"
	if dsn != "" {
		backend = "PostgreSQL"
	}
	fmt.Printf("technician phase: software TPM, demo deployment (2 apps modeled at %s each, 3 policies, 1 script), %s, %d CPUs; %d devices made and registered in %.1fs\n",
		install, backend, runtime.NumCPU(), n+1, time.Since(start).Seconds())

	model := func(wire.Item) time.Duration { return install }
	single, err := sim.Run(ctx, sim.Config{Server: ts.URL, Devices: 1, StateDir: devDir, Prefix: "ONE", Model: model, Patience: -1})
	if err != nil {
		return err
	}
	if err := single.Err(); err != nil {
		return fmt.Errorf("the single device: %w", err)
	}
	fctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	many, err := sim.Run(fctx, sim.Config{Server: ts.URL, Devices: n, Concurrency: conc, StateDir: devDir, Prefix: "FLEET", Model: model, Patience: -1})
	if err != nil {
		return err
	}

	rtt, err := bareRoundTrip()
	if err != nil {
		return err
	}
	sync, err := bareAppend(devDir, recordSize(single.Devices[0], devDir))
	if err != nil {
		return err
	}
	d := single.Devices[0]
	ceiling := time.Duration(d.Calls)*rtt + time.Duration(d.Records)*sync
	fmt.Printf("  the phase: %d manifest items, %d journal records (fsynced), %d device API calls\n", d.Items, d.Records, d.Calls)
	report("1 device", single, ceiling)
	report(fmt.Sprintf("%d devices, %d at once", n, many.Concurrency), many, ceiling)
	if err := many.Err(); err != nil {
		fmt.Printf("  MISS: %s (the figures above are of the %d devices that did)\n", err, many.Sealed)
	}
	fmt.Printf("  ceiling per device: %d calls × bare net/http round trip (%s) + %d records × bare fsynced append (%s) = %s\n",
		d.Calls, rtt.Round(time.Microsecond), d.Records, sync.Round(time.Microsecond), ceiling.Round(time.Microsecond))
	return nil
}

// report prints one run's figures and their ratio to the ceiling.
func report(name string, r sim.Report, ceiling time.Duration) {
	if r.Sealed == 0 {
		fmt.Printf("%s: no device reached reseal\n", name)
		return
	}
	o := r.Overhead
	fmt.Printf("%s: overhead p50 %s, p99 %s, max %s; target p50 <= 1 s %s; ratio p50 %.1fx, p99 %.1fx the ceiling\n",
		name, ms(o.P50), ms(o.P99), ms(o.Max), passMiss(o.P50 <= time.Second), ratio(o.P50, ceiling), ratio(o.P99, ceiling))
	fmt.Printf("  wall p50 %s, p99 %s, max %s (installs and scripts p50 %s); %d of %d sealed, whole run %s\n",
		ms(r.Wall.P50), ms(r.Wall.P99), ms(r.Wall.Max), ms(installP50(r)), r.Sealed, len(r.Devices), ms(r.Elapsed))
}

func installP50(r sim.Report) time.Duration {
	var ds []time.Duration
	for _, d := range r.Devices {
		if d.OK() {
			ds = append(ds, d.Install)
		}
	}
	return sim.Summarize(ds).P50
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(max(b, 1)) }

func ms(d time.Duration) string { return d.Round(time.Millisecond).String() }

func passMiss(ok bool) string {
	if ok {
		return "PASS"
	}
	return "MISS"
}

// bareRoundTrip is the median of bare net/http round trips on loopback:
// a small JSON POST to a handler that answers {} at once, over a kept-alive
// connection.
func bareRoundTrip() (time.Duration, error) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "{}")
	}))
	defer ts.Close()
	c := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	body := bytes.Repeat([]byte("x"), 512)
	var ds []time.Duration
	for i := 0; i < 520; i++ {
		t0 := time.Now()
		resp, err := c.Post(ts.URL, "application/json", bytes.NewReader(body))
		if err != nil {
			return 0, fmt.Errorf("bare round trip: %w", err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if i >= 20 { // warm-up
			ds = append(ds, time.Since(t0))
		}
	}
	return median(ds), nil
}

// bareAppend is the median of appending one size-byte line to a file in
// dir and fsyncing it.
func bareAppend(dir string, size int) (time.Duration, error) {
	f, err := os.CreateTemp(dir, "bare-append-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	line := append(bytes.Repeat([]byte("x"), max(size-1, 0)), '\n')
	var ds []time.Duration
	for i := 0; i < 200; i++ {
		t0 := time.Now()
		if _, err := f.Write(line); err != nil {
			return 0, err
		}
		if err := f.Sync(); err != nil {
			return 0, err
		}
		ds = append(ds, time.Since(t0))
	}
	return median(ds), nil
}

// recordSize is the mean size of a device's journal record.
func recordSize(d sim.DeviceResult, dir string) int {
	st, err := os.Stat(filepath.Join(dir, d.Serial, "journal.jsonl"))
	if err != nil || d.Records == 0 {
		return 300
	}
	return int(st.Size()) / d.Records
}

func median(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// database is "" (SQLite in the service's data directory) or a DSN whose
// search path is a schema of this benchmark's, dropped at the end.
func database(ctx context.Context, dsn string) (string, func(), error) {
	if dsn == "" {
		return "", func() {}, nil
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return "", nil, err
	}
	if _, err := admin.ExecContext(ctx, "DROP SCHEMA IF EXISTS wgbench_technician CASCADE; CREATE SCHEMA wgbench_technician"); err != nil {
		admin.Close()
		return "", nil, err
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=wgbench_technician", func() {
		admin.ExecContext(context.Background(), "DROP SCHEMA IF EXISTS wgbench_technician CASCADE")
		admin.Close()
	}, nil
}
