package tpm

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

// softwareStateFile keeps a software TPM's identity in its state directory.
const softwareStateFile = "tpm-software.json"

// softwareVendorID is "WGSW", the software TPM's TCG-style vendor ID.
const softwareVendorID = 0x57475357

// softwareFirmware is the firmware version the software TPM reports.
const softwareFirmware = 0x00010000

// softwareState is a software TPM's identity: the EK key pair and its
// certificate.
type softwareState struct {
	EKKey         string `json:"ekKey"` // PEM PKCS#8
	EKCertificate []byte `json:"ekCertificate,omitempty"`
}

// softwareTPM is a TPM 2.0 emulated in Go: it produces the same structures
// a TPM does (TPMT_PUBLIC, TPMS_CREATION_DATA, TPMS_ATTEST, TPMT_SIGNATURE)
// and does credential activation with the TPM's arithmetic. Its methods are
// safe for concurrent use.
type softwareTPM struct {
	ek      *rsa.PrivateKey
	ekCert  []byte
	srkName []byte // the name of the (notional) storage root key, parent of AKs
	born    time.Time
	closed  atomic.Bool
}

// OpenSoftware opens the software TPM whose identity is kept in stateDir,
// creating it on first use with an EK certificate from ca. When the stored
// certificate was not issued by ca it is replaced by one that is.
func OpenSoftware(stateDir string, ca *ManufacturerCA) (TPM, error) {
	if stateDir == "" {
		return nil, errors.New("open software TPM: a state directory is needed to keep its identity")
	}
	if ca == nil {
		return nil, errors.New("open software TPM: no manufacturer CA")
	}
	var st softwareState
	found, err := readState(stateDir, softwareStateFile, &st)
	if err != nil {
		return nil, fmt.Errorf("open software TPM: %w", err)
	}
	save := !found
	var ek *rsa.PrivateKey
	if found {
		if ek, err = parseEKKey(st.EKKey); err != nil {
			return nil, fmt.Errorf("open software TPM: %s: %w", softwareStateFile, err)
		}
	} else {
		if ek, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return nil, fmt.Errorf("open software TPM: generate endorsement key: %w", err)
		}
		der, err := x509.MarshalPKCS8PrivateKey(ek)
		if err != nil {
			return nil, fmt.Errorf("open software TPM: encode endorsement key: %w", err)
		}
		st.EKKey = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	}
	if !ca.issuedBy(st.EKCertificate, &ek.PublicKey) {
		id := ekIdentity{Manufacturer: softwareVendorID, Model: "whiteglove software TPM", Firmware: softwareFirmware}
		if st.EKCertificate, err = ca.issueEK(&ek.PublicKey, id); err != nil {
			return nil, fmt.Errorf("open software TPM: %w", err)
		}
		save = true
	}
	if save {
		if err := writeState(stateDir, softwareStateFile, &st); err != nil {
			return nil, fmt.Errorf("open software TPM: %w", err)
		}
	}
	return &softwareTPM{ek: ek, ekCert: st.EKCertificate, srkName: softwareSRKName(&ek.PublicKey), born: time.Now()}, nil
}

func parseEKKey(p string) (*rsa.PrivateKey, error) {
	b, _ := pem.Decode([]byte(p))
	if b == nil {
		return nil, errors.New("no PEM endorsement key")
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse endorsement key: %w", err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok || rk.N.BitLen() != 2048 {
		return nil, errors.New("endorsement key is not RSA-2048")
	}
	return rk, nil
}

func (t *softwareTPM) Info() wire.TPMInfo {
	return wire.TPMInfo{Kind: KindSoftware, Manufacturer: vendorString(softwareVendorID), Version: "2.0", Firmware: "1.0"}
}

func (t *softwareTPM) EK(ctx context.Context) (EK, error) {
	if err := ctx.Err(); err != nil {
		return EK{}, err
	}
	if t.closed.Load() {
		return EK{}, errClosed
	}
	pub := t.ek.PublicKey
	return EK{Public: &pub, Certificate: append([]byte(nil), t.ekCert...)}, nil
}

func (t *softwareTPM) NewAK(ctx context.Context) (AK, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if t.closed.Load() {
		return nil, errClosed
	}
	return newSoftwareAK(t)
}

func (t *softwareTPM) Close() error {
	t.closed.Store(true)
	return nil
}
