package hwinfo

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
)

// NDIS_PHYSICAL_MEDIUM values Collect uses.
const (
	mediumNative80211 = 9
	medium8023        = 14
)

// fillNetwork fills T8 with the physical network adapters, sorted by
// interface name.
func fillNetwork(ctx context.Context, fs sysFS, h *hwhash.Hash) error {
	names := fs.list("sys/class/net")
	slices.Sort(names)
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("reading network adapters: %w", err)
		}
		dir := "sys/class/net/" + name + "/"
		if name == "lo" || isVirtual(fs, dir) {
			continue
		}
		mac, ok := NormalizeMAC(fs.read(dir + "address"))
		if !ok {
			continue
		}
		medium := uint32(medium8023)
		if fs.exists(dir+"wireless") || fs.exists(dir+"phy80211") {
			medium = mediumNative80211
		}
		h.NetworkAdapters = append(h.NetworkAdapters, hwhash.NetworkAdapter{Medium: medium, MAC: mac, Bus: busName(fs, dir+"device")})
	}
	return nil
}

// isVirtual reports whether the interface directory resolves under
// /sys/devices/virtual (bridges, veth, tun, docker …).
func isVirtual(fs sysFS, dir string) bool {
	real, err := filepath.EvalSymlinks(fs.path(dir))
	if err != nil {
		return true
	}
	return strings.Contains(filepath.ToSlash(real), "/devices/virtual/")
}

// busName is the Windows bus name of a device: its subsystem ("pci",
// "usb", "sdio" …) in upper case; "" when unknown.
func busName(fs sysFS, device string) string {
	real, err := filepath.EvalSymlinks(fs.path(device + "/subsystem"))
	if err != nil {
		return ""
	}
	return strings.ToUpper(filepath.Base(real))
}

// NormalizeMAC returns a MAC address as "aa:bb:cc:dd:ee:ff"; ok is false
// unless s is six hex pairs separated by ':' or '-' that are neither all
// zero nor all ones (the broadcast address).
func NormalizeMAC(s string) (mac string, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) != 17 {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < 17; i++ {
		c := s[i]
		if i%3 == 2 {
			if c != ':' && c != '-' {
				return "", false
			}
			b.WriteByte(':')
			continue
		}
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return "", false
		}
		b.WriteByte(c)
	}
	mac = b.String()
	if mac == "00:00:00:00:00:00" || mac == "ff:ff:ff:ff:ff:ff" {
		return "", false
	}
	return mac, true
}
