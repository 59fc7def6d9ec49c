package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/whiteglove/whiteglove/internal/config"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
	"github.com/whiteglove/whiteglove/internal/sim"
)

// simCmd runs a fleet of simulated devices through the technician flow
// against a service, or writes the fleet's hashes for `whiteglove import`.
func simCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		cfg       sim.Config
		hashes    string
		installMS int
	)
	fs.StringVar(&cfg.Server, "server", "", "the whiteglove service URL (run it with --trust-simulated-tpms)")
	fs.IntVar(&cfg.Devices, "devices", 10, "how many devices the fleet has")
	fs.IntVar(&cfg.Concurrency, "concurrency", 0, "how many devices run at once (0 = all)")
	fs.StringVar(&cfg.StateDir, "state", "", "the fleet's state directory: one directory per device, with its software TPM (keeps each device's identity)")
	fs.StringVar(&cfg.Prefix, "prefix", sim.DefaultPrefix, "serial number prefix: PREFIX-0001, PREFIX-0002…")
	fs.StringVar(&hashes, "hashes", "", "only write the fleet's hardware hashes to this CSV file (- for standard output) for whiteglove import, then exit")
	fs.IntVar(&installMS, "install-ms", 500, "each app install is modeled as this many milliseconds; -1 runs the real installers")
	fs.DurationVar(&cfg.Patience, "patience", 30*time.Second, "how long a blocked device (not registered yet) keeps pressing Refresh")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: whiteglove sim --server URL --state DIR [--devices N] [--concurrency C] [--prefix SIM] [--install-ms 500]")
		fmt.Fprintln(stderr, "       whiteglove sim --state DIR --devices N [--prefix SIM] --hashes FILE.csv   (then: whiteglove import FILE.csv)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("sim takes no arguments, got %q", fs.Args())
	}
	if err := config.Apply(fs, "", os.Getenv); err != nil {
		return err
	}
	if cfg.StateDir == "" {
		return errors.New("--state DIR is required (it keeps each simulated device's TPM)")
	}
	if cfg.Devices <= 0 {
		return fmt.Errorf("--devices must be at least 1, not %d", cfg.Devices)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if hashes != "" {
		return writeHashes(ctx, cfg, hashes, stdout, stderr)
	}
	if cfg.Server == "" {
		return errors.New("--server URL is required (or --hashes FILE to write the fleet's hashes)")
	}
	if installMS >= 0 {
		d := time.Duration(installMS) * time.Millisecond
		cfg.Model = func(wire.Item) time.Duration { return d }
	}
	if err := os.MkdirAll(cfg.StateDir, 0o700); err != nil {
		return fmt.Errorf("creating the state directory: %w", err)
	}
	logf, err := os.OpenFile(filepath.Join(cfg.StateDir, "sim.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("opening the simulator's log: %w", err)
	}
	defer logf.Close()
	cfg.Log = slog.New(slog.NewTextHandler(logf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	cfg.Out = stdout
	fmt.Fprintf(stdout, "running %d devices (%s-0001…) against %s; device logs in %s\n", cfg.Devices, cfg.Prefix, cfg.Server, logf.Name())
	rep, err := sim.Run(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	rep.Print(stdout)
	return rep.Err()
}

// writeHashes writes the fleet's Get-WindowsAutopilotInfo CSV.
func writeHashes(ctx context.Context, cfg sim.Config, path string, stdout, stderr io.Writer) error {
	rows, err := sim.Hashes(ctx, cfg.StateDir, cfg.Prefix, cfg.Devices)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sim.WriteCSV(&buf, rows); err != nil {
		return err
	}
	if path == "-" {
		_, err := stdout.Write(buf.Bytes())
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing the hashes: %w", err)
	}
	fmt.Fprintf(stderr, "wrote %d hardware hashes to %s; register them with: whiteglove import %s\n", len(rows), path, path)
	return nil
}
