// Command autopilotimport measures Autopilot device registration end to
// end, through the real HTTP API of a real whiteglove service, and prints
// each figure with its ratio against a ceiling measured in the same run on
// the same machine:
//
//  1. the import action: N devices posted in batches of 1,000 by a few
//     clients, registered by the background processor into a dynamic
//     [ZTDId] group assigned to a pre-provisioning profile, until every
//     device is complete and reads assignedInSync (devices/s);
//  2. the assignment delay seen by a polling client on sampled imports
//     (assignedInSync seen − complete seen, p50/p99), and on the server;
//  3. the CSV upload: N new devices as a UTF-16LE file streamed through
//     POST /api/autopilot/csvImports into a fresh tenant (devices/s);
//  4. the ceiling for 1 and 3: a raw multi-row INSERT of N rows shaped like
//     autopilot_devices into a plain table of the same database (rows/s);
//  5. the peak RSS of a child process streaming a 1,000,000-row CSV file
//     through the CSV reader and the hash decoder, against a child that
//     only generates the file.
//
// Every result is verified against the database; a wrong result exits 1.
// Missed targets are printed, not failed: this is a measurement.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/whiteglove/whiteglove/internal/store"
)

// Targets from the issue (SQLite, 2 cores).
const (
	targetRate  = 10_000 // devices/s
	targetRatio = 0.3    // of the raw-insert ceiling
	targetP99   = time.Second
	targetRSSMB = 500
)

type options struct {
	devices, clients, sampleEvery, rssRows int
	dsn                                    string
	fullRSS                                bool
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == childFlag {
		if err := childMain(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "CSV child:", err)
			os.Exit(1)
		}
		return
	}
	var o options
	flag.IntVar(&o.devices, "devices", 100_000, "devices to import, through the import action and again through CSV")
	flag.StringVar(&o.dsn, "db", "", "PostgreSQL DSN (the benchmark uses its own schema "+benchSchema+"); empty = temporary SQLite")
	flag.IntVar(&o.clients, "clients", 4, "concurrent import-action clients")
	flag.IntVar(&o.sampleEvery, "sample", 100, "follow every n-th import like a polling client")
	flag.IntVar(&o.rssRows, "rss-rows", 1_000_000, "rows in the CSV file streamed for the peak-RSS figure")
	flag.BoolVar(&o.fullRSS, "full-rss", false, "also register the -rss-rows file through ImportCSV into a temporary SQLite tenant")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the parent process (the service and its clients) to this file")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(context.Background(), o); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "FAILED:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	dialect := store.SQLite
	if o.dsn != "" {
		dialect = store.Postgres
	}
	fmt.Printf("whiteglove Autopilot import benchmark: %d devices on %s, %d CPUs, %s; load average %s\n",
		o.devices, dialect, runtime.NumCPU(), runtime.Version(), loadAvg())
	defer func() {
		fmt.Printf("load average at the end: %s (other processes share the CPUs when it exceeds their count)\n", loadAvg())
	}()

	// The ceiling, then 1 and 2 in the same database: the raw insert runs
	// first, on the fresh database the import action starts from, and its
	// table is dropped before the import starts.
	fmt.Fprintln(os.Stderr, "import action: starting a fresh tenant")
	t, err := newTenant(ctx, o.dsn)
	if err != nil {
		return err
	}
	defer t.cleanup(ctx, o.dsn)
	fmt.Fprintln(os.Stderr, "ceiling: raw insert into the same database")
	raw, err := ceiling(ctx, t.db, o.devices)
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "import action: importing")
	ia, err := importAction(ctx, t, o.devices, o.clients, o.sampleEvery)
	if err != nil {
		return err
	}
	if err := t.verify(ctx, o.devices, "import action"); err != nil {
		return err
	}
	t.cleanup(ctx, o.dsn)

	printImport(o, ia, raw)

	// 3: CSV into a fresh tenant.
	cr, err := csvStep(ctx, o.dsn, o.devices)
	if err != nil {
		return err
	}
	printCSV(o, cr, raw)

	// 5: peak RSS in child processes.
	fmt.Fprintf(os.Stderr, "RSS: streaming %d rows in child processes\n", o.rssRows)
	floor, err := runChild(ctx, modeGen, o.rssRows)
	if err != nil {
		return err
	}
	parse, err := runChild(ctx, modeParse, o.rssRows)
	if err != nil {
		return err
	}
	printRSS(o, floor, parse)
	if o.fullRSS {
		full, err := runChild(ctx, modeFull, o.rssRows)
		if err != nil {
			return err
		}
		printFull(o, full)
	}
	if cr.http1Err != nil {
		return fmt.Errorf("the CSV upload over HTTP/1.1 is wrong: %w", cr.http1Err)
	}
	return nil
}
