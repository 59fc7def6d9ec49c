package hwinfo

import (
	"bufio"
	"strconv"
	"strings"

	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
)

// ParseMemTotal returns MemTotal from the text of /proc/meminfo, in bytes;
// ok is false when the line is missing or malformed.
func ParseMemTotal(text string) (bytes uint64, ok bool) {
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		rest, found := strings.CutPrefix(sc.Text(), "MemTotal:")
		if !found {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 || len(f) > 2 || (len(f) == 2 && f[1] != "kB") {
			return 0, false
		}
		kb, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil || kb > 1<<53 {
			return 0, false
		}
		return kb * 1024, true
	}
	return 0, false
}

// fillMemory fills T5 from /proc/meminfo: the total rounded up to whole
// GiB (MemTotal excludes firmware and kernel reservations). The SMBIOS
// memory-array fields are not available without parsing the raw SMBIOS
// table and are left zero.
func fillMemory(fs sysFS, h *hwhash.Hash) {
	b, ok := ParseMemTotal(fs.raw("proc/meminfo"))
	if !ok || b == 0 {
		return
	}
	const gib = 1 << 30
	h.Memory = &hwhash.Memory{TotalGB: (b + gib - 1) / gib}
}
