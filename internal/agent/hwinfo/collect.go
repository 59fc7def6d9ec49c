package hwinfo

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
)

// DefaultOSBuild is the Windows build Collect reports when Options.OSBuild
// is empty: the emulated device presents itself as Windows 11 24H2.
const DefaultOSBuild = "10.0.26100.4349"

// toolVersion and toolBuild describe the collecting tool in T1, as the
// current Windows generator writes them.
const (
	toolVersion = 9
	toolBuild   = "10.0.26100.1"
)

// Options says where and how to collect.
type Options struct {
	// SysRoot is the root under which sys/ and proc/ are read: "/" normally
	// ("" means "/"); tests point it at a fake tree.
	SysRoot string
	// EKModulus is the TPM endorsement key's RSA modulus (256 bytes,
	// big-endian), or nil without a TPM.
	EKModulus []byte
	// TPMManufacturer is the TPM's TCG vendor ID ("NTC", "IFX", "MSFT" …);
	// "" when unknown.
	TPMManufacturer string
	// TPMVersion is the TPM firmware version as Windows prints it
	// ("458754.262144"), or a complete Windows TPM version string starting
	// with "TPM-Version:", which is used verbatim.
	TPMVersion string
	// OSBuild is the Windows version reported in the hash; "" means
	// DefaultOSBuild.
	OSBuild string
	// Now returns the collection time; nil means time.Now.
	Now func() time.Time
}

// Collect builds the hardware hash of this machine. It fails when the
// SMBIOS serial number, UUID or manufacturer cannot be read (see the
// package documentation), when ctx is done, or when the result cannot be
// encoded; any other value that cannot be read is left empty.
func Collect(ctx context.Context, o Options) (*hwhash.Hash, error) {
	fs := sysFS{root: o.SysRoot}
	if fs.root == "" {
		fs.root = "/"
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	h := &hwhash.Hash{}
	if err := readSMBIOS(fs, h); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("collecting the hardware hash: %w", err)
	}
	fillTool(h, now(), o.OSBuild)
	fillCPU(fs, h)
	fillMemory(fs, h)
	if err := fillNetwork(ctx, fs, h); err != nil {
		return nil, err
	}
	if err := fillDisks(ctx, fs, h); err != nil {
		return nil, err
	}
	fillTPM(h, o.EKModulus, o.TPMManufacturer, o.TPMVersion)
	if _, err := hwhash.Encode(h); err != nil {
		return nil, fmt.Errorf("collecting the hardware hash: the result does not encode: %w", err)
	}
	return h, nil
}

// fillTool fills T1: the tool, the OS and the collection time.
func fillTool(h *hwhash.Hash, t time.Time, osBuild string) {
	if osBuild == "" {
		osBuild = DefaultOSBuild
	}
	_, off := t.Zone()
	quarter := int((15 * time.Minute).Seconds())
	off = (off + quarter/2*sign(off)) / quarter * quarter // to whole 15-minute units
	h.ToolVersion = toolVersion
	h.ToolBuild = toolBuild
	h.OSBuild = osBuild
	h.Generated = t.UTC().Truncate(time.Second)
	h.UTCOffset = time.Duration(off) * time.Second
	h.OSType = 2
	h.OSArchitecture = osArch(runtime.GOARCH)
}

func sign(n int) int {
	if n < 0 {
		return -1
	}
	return 1
}

// osArch maps a GOARCH to PROCESSOR_ARCHITECTURE_*.
func osArch(goarch string) uint8 {
	switch goarch {
	case "386":
		return 0
	case "arm":
		return 5
	case "arm64":
		return 12
	}
	return 9 // amd64 and anything else: x64
}
