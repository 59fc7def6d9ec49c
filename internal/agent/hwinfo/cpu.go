package hwinfo

import (
	"bufio"
	"math"
	"runtime"
	"strconv"
	"strings"

	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
)

// CPUInfo is what Collect takes from /proc/cpuinfo.
type CPUInfo struct {
	Vendor            string // vendor_id ("GenuineIntel"); "" on ARM
	Model             string // model name of the first processor
	Packages          int    // distinct physical ids (1 when none are given)
	Cores             int    // physical cores over all packages
	LogicalProcessors int    // processor entries
	MHz               int    // cpu MHz of the first processor; 0 when not given
}

// ParseCPUInfo parses the text of /proc/cpuinfo. Missing values are zero;
// Packages and Cores fall back to 1 package and one core per logical
// processor when the topology lines are absent (ARM).
func ParseCPUInfo(text string) CPUInfo {
	var c CPUInfo
	packages := map[string]int{} // physical id → cpu cores
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, 1<<20)
	physID := ""
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		switch key {
		case "processor":
			if _, err := strconv.Atoi(val); err == nil {
				c.LogicalProcessors++
				physID = ""
			}
		case "vendor_id":
			if c.Vendor == "" {
				c.Vendor = clean([]byte(val))
			}
		case "model name":
			if c.Model == "" {
				c.Model = clean([]byte(val))
			}
		case "cpu MHz":
			if f, err := strconv.ParseFloat(val, 64); err == nil && c.MHz == 0 && f > 0 && f < math.MaxInt32 {
				c.MHz = int(math.Round(f))
			}
		case "physical id":
			physID = val
			if _, seen := packages[physID]; !seen {
				packages[physID] = 0
			}
		case "cpu cores":
			if n, err := strconv.Atoi(val); err == nil && n > 0 && physID != "" {
				packages[physID] = n
			}
		}
	}
	c.Packages = len(packages)
	for _, n := range packages {
		c.Cores += n
	}
	if c.Packages == 0 && c.LogicalProcessors > 0 {
		c.Packages = 1
	}
	if c.Cores == 0 {
		c.Cores = c.LogicalProcessors
	}
	return c
}

// fillCPU fills T2, T3 and T4 from /proc/cpuinfo.
func fillCPU(fs sysFS, h *hwhash.Hash) {
	c := ParseCPUInfo(fs.raw("proc/cpuinfo"))
	if c.LogicalProcessors == 0 {
		return
	}
	h.ProcessorManufacturer = c.Vendor
	h.ProcessorModel = c.Model
	h.Processor = &hwhash.Processor{
		Architecture:      uint16(osArch(runtime.GOARCH)),
		Packages:          clampU16(c.Packages),
		Cores:             clampU16(c.Cores),
		LogicalProcessors: clampU16(c.LogicalProcessors),
		HyperThreading:    c.LogicalProcessors > c.Cores,
	}
}

func clampU16(n int) uint16 { return uint16(min(max(n, 0), math.MaxUint16)) }
