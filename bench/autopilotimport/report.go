package main

import (
	"fmt"
	"slices"
	"time"

	"github.com/whiteglove/whiteglove/internal/autopilot/aptest"
)

// printImport prints the import action, its ceiling and the assignment delay.
func printImport(o options, ia importResult, raw float64) {
	iaRate := float64(o.devices) / ia.elapsed.Seconds()
	fmt.Printf("import action: %d devices in %d calls of 1,000 from %d clients, all complete and assignedInSync (verified) in %.1fs = %.0f devices/s\n",
		o.devices, (o.devices+999)/1000, o.clients, ia.elapsed.Seconds(), iaRate)
	fmt.Printf("  ceiling (raw INSERT of %d autopilot_devices-shaped rows into a plain table, 200 per statement, 1,000 per transaction): %.0f rows/s; ratio %.2f\n",
		o.devices, raw, iaRate/raw)
	fmt.Printf("  targets: >= %d devices/s %s; ratio >= %.1f %s\n", targetRate, mark(iaRate >= targetRate), targetRatio, mark(iaRate/raw >= targetRatio))
	same := 0
	for _, d := range ia.server {
		if d == 0 {
			same++
		}
	}
	cp50, cp99 := pct(ia.client, 0.50), pct(ia.client, 0.99)
	fmt.Printf("assignment delay over %d sampled imports (client: assignedInSync seen - complete seen): p50 %s, p99 %s; target p99 <= %s %s\n",
		len(ia.client), round(cp50), round(cp99), targetP99, mark(cp99 <= targetP99))
	fmt.Printf("  ceiling (the least possible: one identity GET): %d of %d read assignedInSync on the first GET after complete\n", ia.first, len(ia.client))
	fmt.Printf("  server (deploymentProfileAssignedDateTime - autopilot_imports.completed_at): p50 %s, p99 %s; %d of %d identical (assigned in the registering transaction)\n",
		round(pct(ia.server, 0.50)), round(pct(ia.server, 0.99)), same, len(ia.server))
}

// printCSV prints the CSV upload against the same ceiling.
func printCSV(o options, cr csvResult, raw float64) {
	if cr.http1Err != nil {
		fmt.Printf("CSV upload over HTTP/1.1: FAILED (correctness): %v\n", cr.http1Err)
	}
	csvRate := float64(o.devices) / cr.elapsed.Seconds()
	fmt.Printf("CSV upload over %s (UTF-16LE with BOM, streamed to POST /api/autopilot/csvImports, NDJSON results): %d devices imported and assignedInSync (verified) in %.1fs = %.0f devices/s\n",
		cr.proto, o.devices, cr.elapsed.Seconds(), csvRate)
	fmt.Printf("  ceiling (the same raw insert): %.0f rows/s; ratio %.2f\n", raw, csvRate/raw)
	fmt.Printf("  targets: >= %d devices/s %s; ratio >= %.1f %s\n", targetRate, mark(csvRate >= targetRate), targetRatio, mark(csvRate/raw >= targetRatio))
}

// printRSS prints the streaming child's peak RSS against its own floor.
func printRSS(o options, floor, parse childResult) {
	gb := float64(csvBytes("RSS", o.rssRows)) / 1e9
	fmt.Printf("peak RSS streaming a %d-row UTF-16LE CSV (%.1f GB) through csvimport.Reader and hwhash.Decode (child process VmHWM): %.0f MB in %.1fs = %.0f rows/s; target <= %d MB %s\n",
		o.rssRows, gb, mb(parse.hwmKB), parse.elapsed.Seconds(), float64(parse.rows)/parse.elapsed.Seconds(), targetRSSMB, mark(mb(parse.hwmKB) <= targetRSSMB))
	fmt.Printf("  floor (the same child before streaming): %.0f MB; ratio %.2f; generating the file alone: peak %.0f MB in %.1fs\n",
		mb(parse.startKB), mb(parse.hwmKB)/mb(parse.startKB), mb(floor.hwmKB), floor.elapsed.Seconds())
}

// printFull prints the optional full ImportCSV child.
func printFull(o options, full childResult) {
	fmt.Printf("peak RSS registering a %d-row CSV through autopilot.Service.ImportCSV into SQLite (child process VmHWM): %.0f MB in %.1fs = %.0f devices/s; target <= %d MB %s\n",
		o.rssRows, mb(full.hwmKB), full.elapsed.Seconds(), float64(full.rows)/full.elapsed.Seconds(), targetRSSMB, mark(mb(full.hwmKB) <= targetRSSMB))
}

// csvBytes is the size of the file writeCSV generates.
func csvBytes(prefix string, n int) int64 {
	line := len(serial(prefix, 0)) + len(",,") + len(aptest.Hash(serial(prefix, 0))) + len(",Bench\r\n")
	return 2 + 2*int64(len(csvHeader)+2) + 2*int64(n)*int64(line)
}

func mark(ok bool) string {
	if ok {
		return "PASS"
	}
	return "MISS"
}

func mb(kb int) float64 { return float64(kb) / 1024 }

// pct is the q-quantile of ds (nearest rank).
func pct(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s))*q+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second || d <= -time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond || d <= -time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}
