package sim_test

import (
	"context"
	"os"
	"log/slog"
	"testing"
	"time"
	"fmt"

	"github.com/whiteglove/whiteglove/internal/agent/journal"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
	"github.com/whiteglove/whiteglove/internal/sim"
)

func TestDebugFleet(t *testing.T) {
	if os.Getenv("SIMDEBUG") == "" { t.Skip() }
	srv, url := service(t)
	ctx := context.Background()
	dir := t.TempDir()
	ms, _ := sim.Fleet(ctx, dir, "D", nDev())
	var im []autopilot.Import
	for _, m := range ms { im = append(im, autopilot.Import{SerialNumber: m.Serial, HardwareHash: m.Hash}) }
	srv.Autopilot().ImportNow(ctx, "", im)
	srv.Manifests().Sync(ctx)
	rep, err := sim.Run(ctx, sim.Config{Server: url, Devices: nDev(), StateDir: dir, Prefix: "D", Model: func(wire.Item) time.Duration { return 200*time.Millisecond },
		Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil { t.Fatal(err) }
	rep.Print(os.Stderr)
	j, _ := journal.Open(ms[0].Dir)
	for _, r := range j.Records() { fmt.Fprintf(os.Stderr, "%s %s %s %s %s %s\n", r.Event.Time.Format("15:04:05.000"), r.Event.Step, r.Event.State, r.Event.Name, r.Event.Detail, r.Event.Error) }
}

func nDev() int { var n int; fmt.Sscan(os.Getenv("SIMDEBUG"), &n); return n }
