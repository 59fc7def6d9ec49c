package enroll

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/attest"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

// MinBuild is the oldest Windows build pre-provisioning supports (1903).
const MinBuild = 18362

// supportedEditions are the editions pre-provisioning runs on.
var supportedEditions = map[string]bool{"pro": true, "professional": true, "enterprise": true, "education": true,
	"pro education": true, "pro for workstations": true}

// Attest checks a device's requirements and its TPM's endorsement key and
// attestation key, and returns a credential-activation challenge. Problems
// the technician can act on come back as *wire.Problem errors.
func (s *Service) Attest(ctx context.Context, req wire.AttestRequest) (wire.AttestChallenge, error) {
	res, d, h, err := s.lookup(ctx, req.HardwareHash)
	if err != nil {
		return wire.AttestChallenge{}, err
	}
	if res.Problem != nil {
		return wire.AttestChallenge{}, res.Problem
	}
	if p := checkOS(req.OS); p != nil {
		return wire.AttestChallenge{}, p
	}
	if p, err := s.guard(ctx, s.st, d); err != nil || p != nil {
		if err != nil {
			return wire.AttestChallenge{}, err
		}
		return wire.AttestChallenge{}, p
	}
	ch, err := s.verifier.Challenge(req.EKCertificate, req.EKChain, h.TPMEKPublic, req.AK)
	if err != nil {
		return wire.AttestChallenge{}, attestProblem(err)
	}
	sum := sha256.Sum256(ch.Secret)
	now := s.now()
	c := Challenge{
		ID: uuid.NewString(), DeviceID: d.ID, SecretSHA256: hex.EncodeToString(sum[:]), EKFingerprint: ch.EKFingerprint,
		TPMKind: req.TPM.Kind, TPMManufacturer: req.TPM.Manufacturer, OS: req.OS,
		CreatedAt: now, ExpiresAt: now.Add(ChallengeLifetime),
	}
	var limited bool
	err = s.st.EnrollTx(ctx, func(tx Tx) error {
		n, err := tx.CountChallengesSince(ctx, d.ID, now.Add(-ChallengeWindow))
		if err != nil {
			return err
		}
		if n >= MaxChallenges {
			limited = true
			return nil
		}
		return tx.PutChallenge(ctx, c)
	})
	if err != nil {
		return wire.AttestChallenge{}, fmt.Errorf("storing the attestation challenge: %w", err)
	}
	if limited {
		return wire.AttestChallenge{}, problem(wire.CodeAttestation, "Wait ten minutes, then retry; if it keeps failing, collect logs and check the TPM firmware.",
			"Too many attestation attempts from this device (%d in %s).", MaxChallenges, ChallengeWindow)
	}
	s.log.Info("attestation challenge issued", "ztdId", d.ID, "tpm", req.TPM.Kind, "manufacturer", req.TPM.Manufacturer)
	return wire.AttestChallenge{ChallengeID: c.ID, Credential: ch.Credential, Secret: ch.EncryptedSecret, ExpiresAt: c.ExpiresAt}, nil
}

func checkOS(o wire.OSInfo) *wire.Problem {
	if !supportedEditions[strings.ToLower(strings.TrimSpace(o.Edition))] {
		return problem(wire.CodeUnsupported, "Install Windows Pro, Enterprise or Education and start over.",
			"Windows %s is not supported by pre-provisioned deployment.", o.Edition)
	}
	if o.Build < MinBuild {
		return problem(wire.CodeUnsupported, "Update Windows to version 1903 or later and start over.",
			"Windows build %d is older than 1903 (build %d).", o.Build, MinBuild)
	}
	return nil
}

// reader is what the guard reads, inside or outside a transaction.
type guardReader interface {
	ManagedDeviceByZTD(ctx context.Context, ztdID string) (ManagedDevice, error)
}

// guard refuses a second pre-provisioning of a device that completed one
// (Autopilot's 0x80180014) until an admin allows it.
func (s *Service) guard(ctx context.Context, r guardReader, d autopilot.Device) (*wire.Problem, error) {
	md, err := r.ManagedDeviceByZTD(ctx, d.ID)
	if errors.Is(err, apperr.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the managed device: %w", err)
	}
	if md.Stage == StageTechnician || d.ManagedDeviceID != md.ID {
		// A technician flow that did not finish may run again; so may a
		// device an admin released with allowNextEnrollment.
		return nil, nil
	}
	p := problem(wire.CodeAlreadyEnrolled,
		fmt.Sprintf("An administrator must allow it: POST /beta/deviceManagement/windowsAutopilotDeviceIdentities/%s/allowNextEnrollment, or delete the managed device (DELETE /beta/deviceManagement/managedDevices/%s); then press Refresh.", d.ID, md.ID),
		"This device already completed pre-provisioning (managed device %s, stage %s, enrolled %s); a device enrolls once until it is released.",
		md.ID, md.Stage, md.EnrolledAt.Format("2006-01-02 15:04 MST"))
	p.HResult = "0x80180014"
	return p, nil
}

func attestProblem(err error) error {
	var ae *attest.Error
	if !errors.As(err, &ae) {
		return fmt.Errorf("verifying the TPM: %w", err)
	}
	switch ae.Code {
	case "EKNotTrusted":
		return problem(wire.CodeUntrustedTPM,
			"Use a physical device with a TPM 2.0 from a trusted manufacturer; virtual and software TPMs are refused unless the service trusts their root (--trust-simulated-tpms, --tpm-roots).",
			"The TPM's endorsement key certificate is not trusted: %s", ae.Msg)
	case "EKMismatch":
		return problem(wire.CodeAttestation,
			"The TPM changed since the hash was collected: collect the hash again and re-register the device.",
			"The TPM's endorsement key is not the one registered in this device's hardware hash.")
	default:
		return problem(wire.CodeAttestation, "Retry; if it keeps failing, collect logs and check the TPM firmware and clock.",
			"TPM attestation failed (%s): %s", ae.Code, ae.Msg)
	}
}

// Enroll checks the answer to a challenge and, when it is right, creates
// the managed device and issues the device certificate. A challenge is
// used once, whatever the answer.
func (s *Service) Enroll(ctx context.Context, req wire.EnrollRequest) (wire.EnrollResponse, error) {
	now := s.now()
	var (
		prob *wire.Problem
		md   ManagedDevice
		d    autopilot.Device
		der  []byte
	)
	err := s.st.EnrollTx(ctx, func(tx Tx) error {
		prob = nil
		c, err := tx.LockChallenge(ctx, req.ChallengeID)
		if errors.Is(err, apperr.ErrNotFound) {
			prob = problem(wire.CodeAttestation, "Start attestation again.", "The attestation challenge %q is unknown.", req.ChallengeID)
			return nil
		}
		if err != nil {
			return err
		}
		switch {
		case !c.UsedAt.IsZero():
			prob = problem(wire.CodeChallengeUsed, "Start attestation again.", "This attestation challenge was already answered; each is used once.")
			return nil
		case now.After(c.ExpiresAt):
			prob = problem(wire.CodeChallengeExpired, "Start attestation again; check the device clock and the TPM's speed.",
				"The attestation challenge expired at %s.", c.ExpiresAt.Format("15:04:05 MST"))
			return tx.MarkChallengeUsed(ctx, c.ID, now)
		}
		if err := tx.MarkChallengeUsed(ctx, c.ID, now); err != nil {
			return err
		}
		got := sha256.Sum256(req.Secret)
		want, _ := hex.DecodeString(c.SecretSHA256)
		if subtle.ConstantTimeCompare(got[:], want) != 1 {
			prob = problem(wire.CodeAttestation, "Retry; if it keeps failing, the TPM may be faulty or not the one registered.",
				"The TPM could not prove that it holds the endorsement key (wrong credential).")
			return nil
		}
		if d, err = tx.AutopilotDevice(ctx, c.DeviceID); err != nil {
			return err
		}
		if prob, err = s.guard(ctx, tx, d); err != nil || prob != nil {
			return err
		}
		cert, err := s.ca.IssueDevice(req.CSR, d.ID, DeviceCertLife)
		if err != nil {
			prob = problem(wire.CodeBadRequest, "Retry; the device's certificate request was refused.", "The certificate request was refused: %v", err)
			return nil
		}
		der = cert.Raw
		if old, err := tx.ManagedDeviceByZTD(ctx, d.ID); err == nil {
			if err := tx.DeleteManagedDevice(ctx, old.ID); err != nil {
				return err
			}
		} else if !errors.Is(err, apperr.ErrNotFound) {
			return err
		}
		p, err := tx.Profile(ctx, d.ProfileID)
		if err != nil && !errors.Is(err, apperr.ErrNotFound) {
			return err
		}
		thumb := sha256.Sum256(cert.Raw)
		md = ManagedDevice{
			ID: uuid.NewString(), ZTDID: d.ID, DeviceName: deviceName(d, p), SerialNumber: d.SerialNumber,
			CertSerial: cert.SerialNumber.Text(16), CertThumbprint: hex.EncodeToString(thumb[:]),
			EKFingerprint: c.EKFingerprint, TPMKind: c.TPMKind, TPMManufacturer: c.TPMManufacturer,
			OSEdition: c.OS.Edition, OSBuild: c.OS.Build, Stage: StageTechnician,
			EnrolledAt: now, LastContactAt: now,
		}
		if err := tx.PutManagedDevice(ctx, md); err != nil {
			return err
		}
		d.EnrollmentState, d.ManagedDeviceID, d.LastContactedAt, d.UpdatedAt = autopilot.EnrollmentEnrolled, md.ID, now, now
		if err := tx.UpdateAutopilotDevice(ctx, d); err != nil {
			return err
		}
		return s.joined(ctx, tx, d, md, p.DisplayName)
	})
	if err != nil {
		return wire.EnrollResponse{}, fmt.Errorf("enrolling the device: %w", err)
	}
	if prob != nil {
		return wire.EnrollResponse{}, prob
	}
	s.log.Info("device enrolled", "ztdId", d.ID, "managedDeviceId", md.ID, "tpm", md.TPMKind)

	t, err := s.st.Tenant(ctx)
	if err != nil {
		return wire.EnrollResponse{}, err
	}
	info, _, err := s.describe(ctx, t.DisplayName, t.Seats, d)
	if err != nil {
		return wire.EnrollResponse{}, err
	}
	return wire.EnrollResponse{Certificate: der, CA: s.ca.Cert.Raw, ManagedDeviceID: md.ID, Device: info}, nil
}
