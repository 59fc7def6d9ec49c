package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// procField reads one numeric field ("VmHWM") from a
// /proc/self file.
func procField(file, name string) (int64, error) {
	f, err := os.Open("/proc/self/" + file)
	if err != nil {
		return 0, fmt.Errorf("reading /proc/self/%s: %w", file, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+":"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no %s in /proc/self/%s", name, file)
}

// vmHWM is this process's peak resident set size in KiB.
func vmHWM() (int, error) {
	kb, err := procField("status", "VmHWM")
	return int(kb), err
}

// loadAvg is the 1-, 5- and 15-minute load average, to judge whether other
// processes shared the machine during the run.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
