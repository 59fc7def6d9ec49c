package sim

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent"
)

// DeviceResult is how one device's run went.
type DeviceResult struct {
	Serial string
	ZTDID  string // the device's Autopilot id, once the service told it
	Stage  string // the device's stage at the end (agent.StageSealed when it worked)
	Err    error  // why it did not reach reseal; nil when it did
	// Wall is the technician phase's wall time (agent.Result.Elapsed);
	// Install the part of it spent inside installers and scripts;
	// Overhead the rest: what the orchestration cost.
	Wall, Install, Overhead time.Duration
	// Total is power-on to reseal as the simulator saw it, look-up and
	// restarts included.
	Total time.Duration
	Boots int // power-ons (1 unless an installer asked for a restart)
	// Items are the manifest items the phase applied or skipped, Records
	// its journal records (each one fsynced), Calls the device API calls
	// that started inside the phase.
	Items, Records, Calls int
}

// OK reports whether the device reached reseal.
func (d DeviceResult) OK() bool { return d.Err == nil && d.Stage == agent.StageSealed }

func (d DeviceResult) line() string {
	if !d.OK() {
		return fmt.Sprintf("%s  FAILED   %v", d.Serial, d.Err)
	}
	return fmt.Sprintf("%s  sealed   wall %8s  installs %8s  overhead %8s  items %d  journal %d  calls %d",
		d.Serial, ms(d.Wall), ms(d.Install), ms(d.Overhead), d.Items, d.Records, d.Calls)
}

// Stats are the order statistics of a set of durations (nearest rank).
type Stats struct {
	N                  int
	P50, P90, P99, Max time.Duration
}

// Summarize computes Stats; all zero for no durations.
func Summarize(ds []time.Duration) Stats {
	if len(ds) == 0 {
		return Stats{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return Stats{N: len(s), P50: Percentile(s, 50), P90: Percentile(s, 90), P99: Percentile(s, 99), Max: s[len(s)-1]}
}

// Percentile is the nearest-rank p-th percentile (0 < p <= 100) of sorted
// durations: the smallest value with at least p% of them at or below it.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p * float64(len(sorted)) / 100))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// Report is the fleet's outcome.
type Report struct {
	Devices     []DeviceResult // every device, in serial-number order
	Failed      []DeviceResult // those that did not reach reseal
	Sealed      int
	Concurrency int
	// Wall and Overhead summarize the devices that reached reseal.
	Wall, Overhead Stats
	// Elapsed is the whole fleet's run, first start to last reseal.
	Elapsed time.Duration
}

func newReport(ds []DeviceResult, conc int, elapsed time.Duration) Report {
	r := Report{Devices: ds, Concurrency: conc, Elapsed: elapsed}
	var wall, over []time.Duration
	for _, d := range ds {
		if !d.OK() {
			r.Failed = append(r.Failed, d)
			continue
		}
		r.Sealed++
		wall = append(wall, d.Wall)
		over = append(over, d.Overhead)
	}
	r.Wall, r.Overhead = Summarize(wall), Summarize(over)
	return r
}

// Err is nil when every device reached reseal, else an error naming how
// many failed and the first one's reason.
func (r Report) Err() error {
	if len(r.Failed) == 0 {
		return nil
	}
	return fmt.Errorf("%d of %d devices did not reach reseal; %s: %w", len(r.Failed), len(r.Devices), r.Failed[0].Serial, errOrUnknown(r.Failed[0].Err))
}

func errOrUnknown(err error) error {
	if err == nil {
		return errors.New("unknown")
	}
	return err
}

// Print writes the summary: the figures of the sealed devices, then every
// failure with its reason.
func (r Report) Print(w io.Writer) {
	fmt.Fprintf(w, "%d devices, %d at once: %d sealed, %d failed in %s\n", len(r.Devices), r.Concurrency, r.Sealed, len(r.Failed), ms(r.Elapsed))
	if r.Sealed > 0 {
		fmt.Fprintf(w, "  technician phase wall time          %s\n", r.Wall)
		fmt.Fprintf(w, "  overhead (wall − installs, scripts) %s\n", r.Overhead)
	}
	if len(r.Failed) > 0 {
		fmt.Fprintf(w, "FAILURES (%d)\n", len(r.Failed))
		for _, d := range r.Failed {
			fmt.Fprintf(w, "  %s: %v\n", d.Serial, errOrUnknown(d.Err))
		}
	}
}

// String is "p50 … p90 … p99 … max …".
func (s Stats) String() string {
	return strings.Join([]string{"p50 " + ms(s.P50), "p90 " + ms(s.P90), "p99 " + ms(s.P99), "max " + ms(s.Max)}, "  ")
}

func ms(d time.Duration) string { return d.Round(time.Millisecond).String() }
