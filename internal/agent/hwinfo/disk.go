package hwinfo

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
)

// STORAGE_BUS_TYPE values Collect uses.
const (
	busSCSI = 0x1
	busATA  = 0x3
	busUSB  = 0x7
	busSATA = 0xB
	busSD   = 0xC
	busMMC  = 0xD
	busNVMe = 0x11
)

// skippedDisks are name prefixes of block devices that are not disks.
var skippedDisks = []string{"loop", "ram", "zram", "dm-", "md", "nbd", "sr", "fd", "zd"}

// fillDisks fills T6 and T7 with the internal disks, sorted by name.
func fillDisks(ctx context.Context, fs sysFS, h *hwhash.Hash) error {
	names := fs.list("sys/block")
	slices.Sort(names)
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("reading disks: %w", err)
		}
		if !isDisk(fs, name) {
			continue
		}
		dir := "sys/block/" + name + "/"
		bus := diskBus(fs, name)
		if bus == busUSB {
			continue // external
		}
		sectors, _ := strconv.ParseUint(fs.read(dir+"size"), 10, 64)
		d := hwhash.Disk{CapacityGB: sectors * 512 / 1e9, BusType: bus}
		if fs.read(dir+"queue/rotational") == "1" {
			d.SeekPenalty = 1
		}
		if n, err := strconv.ParseUint(fs.read(dir+"queue/discard_max_bytes"), 10, 64); err == nil && n > 0 {
			d.TrimEnabled = 1
		}
		h.Disks = append(h.Disks, d)
		serial := strings.ReplaceAll(diskSerial(fs, dir), "|", "_")
		model := strings.ReplaceAll(fs.read(dir+"device/model"), "|", "_")
		vendor := strings.ReplaceAll(fs.read(dir+"device/vendor"), "|", "_")
		h.DiskSerials = append(h.DiskSerials, serial+"|"+model+"|"+vendor)
	}
	return nil
}

// isDisk reports whether /sys/block/name is an internal, non-removable disk.
func isDisk(fs sysFS, name string) bool {
	for _, p := range skippedDisks {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	if strings.HasPrefix(name, "mmcblk") && (strings.Contains(name, "boot") || strings.Contains(name, "rpmb")) {
		return false
	}
	return fs.read("sys/block/"+name+"/removable") != "1"
}

// diskBus guesses the STORAGE_BUS_TYPE from the device name and path.
func diskBus(fs sysFS, name string) uint16 {
	real, _ := filepath.EvalSymlinks(fs.path("sys/block/" + name))
	real = filepath.ToSlash(real)
	switch {
	case strings.Contains(real, "/usb"):
		return busUSB
	case strings.HasPrefix(name, "nvme"):
		return busNVMe
	case strings.HasPrefix(name, "mmcblk"):
		if strings.EqualFold(fs.read("sys/block/"+name+"/device/type"), "MMC") {
			return busMMC
		}
		return busSD
	case strings.HasPrefix(name, "hd"):
		return busATA
	case strings.HasPrefix(name, "sd") && strings.TrimSpace(fs.read("sys/block/"+name+"/device/vendor")) == "ATA":
		return busSATA
	}
	return busSCSI
}

// diskSerial returns the disk's serial number: device/serial (NVMe, MMC),
// serial (virtio), the unit serial VPD page (SCSI, SATA) or the WWID.
func diskSerial(fs sysFS, dir string) string {
	for _, f := range []string{"device/serial", "serial"} {
		if s := fs.read(dir + f); s != "" {
			return s
		}
	}
	if s := ParseVPD80([]byte(fs.raw(dir + "device/vpd_pg80"))); s != "" {
		return s
	}
	for _, f := range []string{"device/wwid", "wwid"} {
		if s := fs.read(dir + f); s != "" {
			return s
		}
	}
	return ""
}

// ParseVPD80 returns the serial number in a SCSI Unit Serial Number VPD
// page (0x80): a 4-byte header whose last two bytes give the length, then
// that many ASCII bytes. It returns "" when b is not such a page.
func ParseVPD80(b []byte) string {
	if len(b) < 4 || b[1] != 0x80 {
		return ""
	}
	n := int(b[2])<<8 | int(b[3])
	if n > len(b)-4 {
		return ""
	}
	return clean(b[4 : 4+n])
}
