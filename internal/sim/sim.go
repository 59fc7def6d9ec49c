// Package sim is the fleet simulator: many devices, each with a software
// TPM and a synthetic machine of its own, run the technician flow headless
// — look-up, TPM attestation, enrollment, the ESP's device setup, reseal —
// against one service, as the real device client does (it is the real
// device client). Installs can be replaced by modeled durations; everything
// else (manifests, the fsynced journal, timeline events, detection,
// policies, certificates, scripts) runs for real, so the report's overhead
// (phase wall time minus time inside installers and scripts) is what the
// orchestration costs.
package sim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

// Config says which fleet runs against which service.
type Config struct {
	// Server is the service's URL (http(s)://host[:port]).
	Server string
	// Devices is the fleet's size.
	Devices int
	// Concurrency is how many devices run at once; 0 means all of them.
	Concurrency int
	// StateDir keeps one state directory per device (named by its serial
	// number), with its software TPM: a device keeps its identity from one
	// run to the next.
	StateDir string
	// Prefix starts the serial numbers (PREFIX-0001…); "" is DefaultPrefix.
	Prefix string
	// Model, when set, replaces each app install with a modeled duration;
	// nil runs the real installers.
	Model func(wire.Item) time.Duration
	// Register, when set, registers each device (serial number and base64
	// hardware hash) before any device starts; nil means the fleet was
	// imported beforehand (Hashes, then `whiteglove import`).
	Register func(ctx context.Context, serial, hash string) error
	// Ready, when set, is called once after registration and before the
	// first device starts (for example to wait until the service has
	// computed the new devices' manifests).
	Ready func(ctx context.Context) error
	// Patience is how long a device keeps pressing Refresh on a screen that
	// blocks it (not registered yet, no profile yet) before it fails; 0
	// means 30 seconds, a negative value gives up at once.
	Patience time.Duration
	// Out, when set, gets one line per device as it finishes.
	Out io.Writer
	// Log receives the device clients' logs; nil discards them.
	Log *slog.Logger
}

// Run prepares the fleet (Fleet), registers it when Config.Register is
// set, runs every device's technician flow to reseal with at most
// Config.Concurrency at once, and reports each device. A device that fails
// is in the report (Report.Failed); the error is for what stops the whole
// fleet: preparing it, registering it, or Config.Ready.
func Run(ctx context.Context, cfg Config) (Report, error) {
	if cfg.Server == "" {
		return Report{}, errors.New("the service URL is required")
	}
	if cfg.Devices <= 0 {
		return Report{}, fmt.Errorf("the fleet needs at least one device, not %d", cfg.Devices)
	}
	conc := cfg.Concurrency
	if conc <= 0 || conc > cfg.Devices {
		conc = cfg.Devices
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	ms, err := Fleet(ctx, cfg.StateDir, cfg.Prefix, cfg.Devices)
	if err != nil {
		return Report{}, err
	}
	if cfg.Register != nil {
		if err := forEach(ctx, ms, conc, func(_ int, m Machine) error {
			if err := cfg.Register(ctx, m.Serial, m.Hash); err != nil {
				return fmt.Errorf("registering %s: %w", m.Serial, err)
			}
			return nil
		}); err != nil {
			return Report{}, err
		}
	}
	if cfg.Ready != nil {
		if err := cfg.Ready(ctx); err != nil {
			return Report{}, fmt.Errorf("waiting for the service: %w", err)
		}
	}
	results := make([]DeviceResult, len(ms))
	var outMu sync.Mutex
	start := time.Now()
	_ = forEach(ctx, ms, conc, func(i int, m Machine) error {
		results[i] = runDevice(ctx, cfg, m)
		if cfg.Out != nil {
			outMu.Lock()
			fmt.Fprintln(cfg.Out, results[i].line())
			outMu.Unlock()
		}
		return nil
	})
	elapsed := time.Since(start)
	for i := range results {
		if results[i].Serial == "" { // never started: the context ended first
			results[i] = DeviceResult{Serial: ms[i].Serial, Err: fmt.Errorf("not started: %w", context.Cause(ctx))}
		}
	}
	return newReport(results, conc, elapsed), nil
}

// forEach calls f for each machine, at most conc at once, in order of
// start; it stops starting new calls when ctx ends or f fails, and returns
// the first failure.
func forEach(ctx context.Context, ms []Machine, conc int, f func(int, Machine) error) error {
	sem := make(chan struct{}, conc)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	failed := func() bool { mu.Lock(); defer mu.Unlock(); return first != nil }
	for i, m := range ms {
		select {
		case <-ctx.Done():
		case sem <- struct{}{}:
		}
		if ctx.Err() != nil || failed() {
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := f(i, m); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}
