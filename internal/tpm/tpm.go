// Package tpm is the device's TPM 2.0 as the attestation protocol sees it:
// an endorsement key (EK) with its manufacturer certificate, and attestation
// keys (AKs) that prove they live in the same TPM by activating a credential
// the service makes for the EK.
//
// Three kinds stand behind one interface: "hardware" (the platform TPM
// through /dev/tpmrm0), "simulator" (the TCG reference TPM compiled in with
// cgo, one per process) and "software" (pure Go, for fleet simulation). All
// three speak the same protocol; the service can tell the simulated ones only
// by their EK certificate's issuer, the simulation manufacturer CA.
package tpm

import (
	"context"
	"crypto/rsa"
	"fmt"

	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

// Kinds of TPM Open knows.
const (
	KindHardware  = "hardware"
	KindSimulator = "simulator"
	KindSoftware  = "software"
)

// DefaultDevicePath is the kernel's resource-managed TPM device.
const DefaultDevicePath = "/dev/tpmrm0"

// EKCertNVIndex is the TCG NV index of the RSA-2048 EK certificate.
const EKCertNVIndex = 0x01C00002

// TPM is the device's TPM 2.0.
type TPM interface {
	// Info describes the TPM: kind, manufacturer, version "2.0", firmware.
	Info() wire.TPMInfo
	// EK returns the RSA-2048 endorsement key and its certificate.
	EK(ctx context.Context) (EK, error)
	// NewAK creates a fresh attestation key in the TPM.
	NewAK(ctx context.Context) (AK, error)
	// Close releases the TPM.
	Close() error
}

// EK is the endorsement key with its manufacturer certificate.
type EK struct {
	Public      *rsa.PublicKey
	Certificate []byte   // DER
	Chain       [][]byte // intermediates, DER, issuer side last; may be empty
}

// AK is an attestation key: a restricted signing key created in the TPM.
type AK interface {
	// Parameters are the AK's public area and the TPM's proof it created it.
	Parameters() wire.AttestationParameters
	// ActivateCredential recovers the secret of a challenge made for this
	// AK and the TPM's EK. It fails, like the TPM, when the credential was
	// made for another EK or AK, or was tampered with.
	ActivateCredential(ctx context.Context, credential, secret []byte) ([]byte, error)
	// Close unloads the key.
	Close() error
}

// Open opens the TPM of the given kind. path is the device node for
// "hardware" (DefaultDevicePath when empty); stateDir keeps the identity of
// "simulator" and "software" TPMs across restarts.
func Open(ctx context.Context, kind, path, stateDir string) (TPM, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch kind {
	case KindHardware:
		return openHardware(ctx, path)
	case KindSimulator:
		return openSimulator(ctx, stateDir)
	case KindSoftware:
		return OpenSoftware(stateDir, Simulation())
	default:
		return nil, fmt.Errorf("open TPM: unknown kind %q (want %q, %q or %q)", kind, KindHardware, KindSimulator, KindSoftware)
	}
}

// EKModulus is the EK's RSA modulus, big-endian and left-padded to the key
// size (256 bytes for RSA-2048), as Windows writes it into the hardware hash
// (field "TPM EkPub"). It is nil when the EK has no public key.
func EKModulus(ek EK) []byte {
	if ek.Public == nil || ek.Public.N == nil {
		return nil
	}
	return ek.Public.N.FillBytes(make([]byte, ek.Public.Size()))
}
