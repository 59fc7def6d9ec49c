package winenv

import "strings"

// Facts describe the device for detection and requirements.
type Facts struct {
	// Build is the Windows build number (26100 for 24H2).
	Build int
	// Arch is the OS architecture: "x86", "x64", "arm" or "arm64".
	Arch string
	// FreeDiskMB, MemoryMB, Processors and CPUSpeedMHz are the device's
	// free space on C:, physical memory, logical processors and CPU clock.
	FreeDiskMB, MemoryMB, Processors, CPUSpeedMHz int
	// User is whose HKCU, %USERPROFILE% and scripts the rules use; "" =
	// SYSTEM.
	User string
}

// is64 reports whether the architecture is a 64-bit Windows, where rules
// may ask for the 32-bit view.
func (f Facts) is64() bool {
	a := strings.ToLower(f.Arch)
	return a == "x64" || a == "arm64" || a == "amd64"
}
