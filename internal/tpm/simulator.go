package tpm

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/google/go-attestation/attest"
	"github.com/google/go-tpm-tools/simulator"
	legacy "github.com/google/go-tpm/legacy/tpm2"
	"github.com/google/go-tpm/tpmutil"
)

// ErrSimulatorInUse is returned by Open when this process already has the
// TPM simulator open: the reference simulator is a single global instance.
var ErrSimulatorInUse = errors.New("a TPM simulator is already open in this process")

// simulatorStateFile keeps the simulator's identity in the state directory.
const simulatorStateFile = "tpm-simulator.json"

// simulatorState is the simulator's identity: the seed of its hierarchies
// (so the EK is the same across restarts) and its EK certificate.
type simulatorState struct {
	Seed          int64  `json:"seed"`
	EKCertificate []byte `json:"ekCertificate,omitempty"`
}

var simGuard struct {
	sync.Mutex
	open bool
}

// simulatorAK is an ECDSA P-256 AK under the ECC SRK: the reference
// simulator makes RSA keys slowly, and the protocol is the same.
var simulatorAK = &attest.AKConfig{
	Algorithm: attest.ECDSA,
	Parent:    &attest.ParentKeyConfig{Algorithm: attest.ECDSA, Handle: 0x81000002},
}

// openSimulator starts the TPM 2.0 reference simulator with the seed kept
// in stateDir and "manufactures" it: its EK certificate, issued once by the
// simulation manufacturer CA, is written to NV index 0x01C00002.
func openSimulator(ctx context.Context, stateDir string) (t TPM, err error) {
	if stateDir == "" {
		return nil, errors.New("open TPM simulator: a state directory is needed to keep its identity")
	}
	simGuard.Lock()
	if simGuard.open {
		simGuard.Unlock()
		return nil, ErrSimulatorInUse
	}
	simGuard.open = true
	simGuard.Unlock()
	release := func() {
		simGuard.Lock()
		simGuard.open = false
		simGuard.Unlock()
	}
	defer func() {
		if err != nil {
			release()
		}
	}()

	var st simulatorState
	found, err := readState(stateDir, simulatorStateFile, &st)
	if err != nil {
		return nil, fmt.Errorf("open TPM simulator: %w", err)
	}
	if !found {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("open TPM simulator: generate seed: %w", err)
		}
		st.Seed = int64(binary.BigEndian.Uint64(b[:]))
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sim, err := simulator.GetWithFixedSeedInsecure(st.Seed)
	if err != nil {
		return nil, fmt.Errorf("open TPM simulator: %w", err)
	}
	ct, err := newChannelTPM(sim, KindSimulator, simulatorAK)
	if err != nil {
		sim.Close()
		return nil, err
	}
	if err := manufactureSimulator(ct, sim, &st, stateDir, !found); err != nil {
		ct.Close()
		return nil, err
	}
	ct.onClose = release
	return ct, nil
}

// manufactureSimulator makes sure the simulator's EK has a certificate from
// the simulation manufacturer CA and writes it into NV.
func manufactureSimulator(ct *channelTPM, sim *simulator.Simulator, st *simulatorState, stateDir string, save bool) error {
	eks, err := ct.at.EKs()
	if err != nil || len(eks) == 0 {
		return fmt.Errorf("open TPM simulator: create endorsement key: %w", err)
	}
	pub, ok := eks[0].Public.(*rsa.PublicKey)
	if !ok {
		return fmt.Errorf("open TPM simulator: EK is %T, want RSA", eks[0].Public)
	}
	ca := Simulation()
	if !ca.issuedBy(st.EKCertificate, pub) {
		id := ekIdentity{Manufacturer: simulatorVendorID(ct), Model: "TPM 2.0 reference simulator", Firmware: 0x00020000}
		st.EKCertificate, err = ca.issueEK(pub, id)
		if err != nil {
			return fmt.Errorf("open TPM simulator: %w", err)
		}
		save = true
	}
	if save {
		if err := writeState(stateDir, simulatorStateFile, st); err != nil {
			return fmt.Errorf("open TPM simulator: %w", err)
		}
	}
	if err := writeNV(sim, EKCertNVIndex, st.EKCertificate); err != nil {
		return fmt.Errorf("open TPM simulator: store EK certificate in NV: %w", err)
	}
	return nil
}

// simulatorVendorID is the TCG vendor ID the simulator reports.
func simulatorVendorID(ct *channelTPM) uint32 {
	if info, err := ct.at.Info(); err == nil {
		return uint32(info.Manufacturer)
	}
	return 0x49424D00 // "IBM"
}

// writeNV defines a platform NV index that, like an EK certificate index,
// anyone may read with its own (empty) authorization, and writes data into it.
func writeNV(rw io.ReadWriter, index tpmutil.Handle, data []byte) error {
	attrs := legacy.AttrPPWrite | legacy.AttrPPRead | legacy.AttrOwnerRead | legacy.AttrAuthRead |
		legacy.AttrNoDA | legacy.AttrPlatformCreate
	if err := legacy.NVDefineSpace(rw, legacy.HandlePlatform, index, "", "", nil, attrs, uint16(len(data))); err != nil {
		return fmt.Errorf("define NV index 0x%08X: %w", uint32(index), err)
	}
	const chunk = 512
	for off := 0; off < len(data); off += chunk {
		end := min(off+chunk, len(data))
		if err := legacy.NVWrite(rw, legacy.HandlePlatform, index, "", data[off:end], uint16(off)); err != nil {
			return fmt.Errorf("write NV index 0x%08X: %w", uint32(index), err)
		}
	}
	return nil
}
