//go:build !windows

package tpm

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/google/go-tpm/tpmutil"
)

// openHardware opens the platform TPM at path (DefaultDevicePath when
// empty). The AK is go-attestation's default: RSA-2048 under the RSA SRK
// at 0x81000001, as Windows uses.
func openHardware(_ context.Context, path string) (TPM, error) {
	if path == "" {
		path = DefaultDevicePath
	}
	rwc, err := tpmutil.OpenTPM(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("open hardware TPM: no TPM device at %s (is there a TPM 2.0, enabled in firmware, with the kernel's tpm_crb/tpm_tis driver loaded?)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("open hardware TPM at %s: %w", path, err)
	}
	t, err := newChannelTPM(rwc, KindHardware, nil)
	if err != nil {
		rwc.Close()
		return nil, err
	}
	return t, nil
}
