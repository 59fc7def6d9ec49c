// Package agent is the device client: the OOBE state machine of the
// technician and user flows, the TPM-backed enrollment, and the
// provisioning engine that applies a phase's manifest — every step
// journaled so a power cut loses nothing and repeats nothing.
package agent

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent/journal"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

// Stages of the device.
const (
	StageOOBE     = "oobe"     // nothing done yet
	StageEnrolled = "enrolled" // attested and enrolled; technician phase running or failed
	StageSealed   = "sealed"   // resealed: the next start runs the user flow
	StageUser     = "user"     // the user flow is running
	StageDesktop  = "desktop"  // the user reached the desktop
)

// PhaseState is one phase's progress as the device remembers it.
type PhaseState struct {
	SessionID string        `json:"sessionId"`
	StartedAt time.Time     `json:"startedAt"`
	Elapsed   time.Duration `json:"elapsed"` // time in this phase before the current boot
	Result    string        `json:"result"`  // "", "succeeded", "failed"
	Error     string        `json:"error,omitempty"`
	Opened    bool          `json:"opened"` // the service knows the session
	Ended     bool          `json:"ended"`  // the service knows how it ended
	EndedAt   time.Time     `json:"endedAt,omitzero"`
}

// State is what the device keeps in state.json.
type State struct {
	Stage           string          `json:"stage"`
	Language        string          `json:"language,omitempty"`
	ZTDID           string          `json:"ztdId,omitempty"`
	ManagedDeviceID string          `json:"managedDeviceId,omitempty"`
	Device          wire.DeviceInfo `json:"device"`
	Technician      *PhaseState     `json:"technician,omitempty"`
	User            *PhaseState     `json:"user,omitempty"`
	SealedAt        time.Time       `json:"sealedAt,omitzero"`
	PrimaryUser     string          `json:"primaryUser,omitempty"`
	Boots           int             `json:"boots"`
}

// Files of the state directory.
const (
	stateFile = "state.json"
	keyFile   = "device-key.pem"
	certFile  = "device-cert.der"
)

// LoadState reads the state, a new one when there is none.
func LoadState(dir string) (State, error) {
	var s State
	ok, err := journal.ReadJSON(filepath.Join(dir, stateFile), &s)
	if err != nil {
		return State{}, err
	}
	if !ok {
		s.Stage = StageOOBE
	}
	return s, nil
}

// SaveState writes the state durably.
func SaveState(dir string, s State) error {
	return journal.WriteJSON(filepath.Join(dir, stateFile), s, 0o600)
}

// identity is the device key and certificate from enrollment.
type identity struct {
	key  *ecdsa.PrivateKey
	cert []byte
}

// newKey makes the device key (ECDSA P-256) and stores it before use.
func newKey(dir string) (*ecdsa.PrivateKey, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		return nil, err
	}
	if err := journal.WriteFile(filepath.Join(dir, keyFile), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		return nil, fmt.Errorf("storing the device key: %w", err)
	}
	return k, nil
}

// loadIdentity reads the device key and certificate; ok is false before
// enrollment.
func loadIdentity(dir string) (identity, bool, error) {
	kb, err := os.ReadFile(filepath.Join(dir, keyFile))
	if errors.Is(err, os.ErrNotExist) {
		return identity{}, false, nil
	}
	if err != nil {
		return identity{}, false, err
	}
	cb, err := os.ReadFile(filepath.Join(dir, certFile))
	if errors.Is(err, os.ErrNotExist) {
		return identity{}, false, nil
	}
	if err != nil {
		return identity{}, false, err
	}
	blk, _ := pem.Decode(kb)
	if blk == nil {
		return identity{}, false, errors.New("the device key file is damaged")
	}
	k, err := x509.ParseECPrivateKey(blk.Bytes)
	if err != nil {
		return identity{}, false, fmt.Errorf("the device key file is damaged: %w", err)
	}
	return identity{key: k, cert: cb}, true, nil
}
