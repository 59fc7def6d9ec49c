package tpm

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/google/go-attestation/attest"

	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

// commandChannel carries TPM 2.0 commands to a TPM for go-attestation.
type commandChannel struct {
	io.ReadWriteCloser
}

// MeasurementLog is not used by this package's attestation protocol.
func (commandChannel) MeasurementLog() ([]byte, error) {
	return nil, errors.New("no measurement log")
}

// channelTPM is a real TPM 2.0 (hardware or the reference simulator) driven
// through go-attestation, over a command channel (or, on Windows, TBS and
// the Platform Crypto Provider). Commands are serialized:
// a TPM executes one at a time.
type channelTPM struct {
	mu      sync.Mutex
	at      *attest.TPM
	info    wire.TPMInfo
	akCfg   *attest.AKConfig
	closed  bool
	onClose func()
}

func newChannelTPM(rwc io.ReadWriteCloser, kind string, akCfg *attest.AKConfig) (*channelTPM, error) {
	at, err := attest.OpenTPM(&attest.OpenConfig{CommandChannel: commandChannel{rwc}})
	if err != nil {
		return nil, fmt.Errorf("open %s TPM: %w", kind, err)
	}
	return newAttestTPM(at, kind, akCfg), nil
}

// newAttestTPM wraps a TPM go-attestation has opened.
func newAttestTPM(at *attest.TPM, kind string, akCfg *attest.AKConfig) *channelTPM {
	t := &channelTPM{at: at, akCfg: akCfg, info: wire.TPMInfo{Kind: kind, Version: "2.0"}}
	if info, err := at.Info(); err == nil {
		t.info.Manufacturer = info.Manufacturer.String()
		if t.info.Manufacturer == "" {
			t.info.Manufacturer = vendorString(uint32(info.Manufacturer))
		}
		t.info.Firmware = fmt.Sprintf("%d.%d", info.FirmwareVersionMajor, info.FirmwareVersionMinor)
	}
	return t
}

func (t *channelTPM) Info() wire.TPMInfo { return t.info }

// EK reads the RSA EK certificate from NV index 0x01C00002.
func (t *channelTPM) EK(ctx context.Context) (EK, error) {
	if err := ctx.Err(); err != nil {
		return EK{}, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return EK{}, errClosed
	}
	eks, err := t.at.EKs()
	if err != nil {
		return EK{}, fmt.Errorf("read endorsement key: %w", err)
	}
	for _, ek := range eks {
		pub, ok := ek.Public.(*rsa.PublicKey)
		if !ok {
			continue
		}
		if ek.Certificate == nil {
			msg := fmt.Sprintf("read endorsement key: the TPM has no RSA EK certificate in NV index 0x%08X", EKCertNVIndex)
			if ek.CertificateURL != "" {
				msg += " (its manufacturer publishes it online: " + ek.CertificateURL + ")"
			}
			return EK{}, errors.New(msg)
		}
		return EK{Public: pub, Certificate: ek.Certificate.Raw}, nil
	}
	return EK{}, errors.New("read endorsement key: the TPM has no RSA-2048 EK")
}

// NewAK creates an attestation key under the storage root key and has the
// TPM certify its creation.
func (t *channelTPM) NewAK(ctx context.Context) (AK, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil, errClosed
	}
	ak, err := t.at.NewAK(t.akCfg)
	if err != nil {
		return nil, fmt.Errorf("create attestation key: %w", err)
	}
	p := ak.AttestationParameters()
	return &channelAK{t: t, ak: ak, params: wire.AttestationParameters{
		Public:            p.Public,
		CreateData:        p.CreateData,
		CreateAttestation: p.CreateAttestation,
		CreateSignature:   p.CreateSignature,
	}}, nil
}

func (t *channelTPM) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil
	}
	t.closed = true
	err := t.at.Close()
	if t.onClose != nil {
		t.onClose()
	}
	if err != nil {
		return fmt.Errorf("close %s TPM: %w", t.info.Kind, err)
	}
	return nil
}

// channelAK is an attestation key loaded in a channelTPM.
type channelAK struct {
	t      *channelTPM
	ak     *attest.AK
	params wire.AttestationParameters
	closed bool
}

func (k *channelAK) Parameters() wire.AttestationParameters { return k.params }

func (k *channelAK) ActivateCredential(ctx context.Context, credential, secret []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	k.t.mu.Lock()
	defer k.t.mu.Unlock()
	if k.t.closed || k.closed {
		return nil, errClosed
	}
	out, err := k.ak.ActivateCredential(k.t.at, attest.EncryptedCredential{Credential: credential, Secret: secret})
	if err != nil {
		return nil, fmt.Errorf("activate credential: %w", err)
	}
	return out, nil
}

func (k *channelAK) Close() error {
	k.t.mu.Lock()
	defer k.t.mu.Unlock()
	if k.closed || k.t.closed {
		k.closed = true
		return nil
	}
	k.closed = true
	if err := k.ak.Close(k.t.at); err != nil {
		return fmt.Errorf("unload attestation key: %w", err)
	}
	return nil
}

var errClosed = errors.New("the TPM is closed")

// vendorString renders a TCG vendor ID as its four ASCII characters,
// without trailing NULs and spaces.
func vendorString(id uint32) string {
	b := []byte{byte(id >> 24), byte(id >> 16), byte(id >> 8), byte(id)}
	for len(b) > 0 && (b[len(b)-1] == 0 || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return fmt.Sprintf("0x%08X", id)
		}
	}
	return string(b)
}
