//go:build windows

package tpm

import (
	"context"
	"fmt"

	"github.com/google/go-attestation/attest"
)

// openHardware opens the platform TPM through TBS; keys live in the
// Platform Crypto Provider, as Windows' own attestation does. path is not
// used on Windows.
func openHardware(_ context.Context, _ string) (TPM, error) {
	at, err := attest.OpenTPM(&attest.OpenConfig{})
	if err != nil {
		return nil, fmt.Errorf("open hardware TPM (is there a TPM 2.0, enabled in firmware?): %w", err)
	}
	return newAttestTPM(at, KindHardware, nil), nil
}
