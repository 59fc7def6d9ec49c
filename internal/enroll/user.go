package enroll

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/planner"
	"github.com/whiteglove/whiteglove/internal/targeting"
	"github.com/whiteglove/whiteglove/internal/token"
)

// Users checks people's passwords.
type Users interface {
	AuthenticateUser(ctx context.Context, tenantID, username, password string) (token.Principal, error)
}

// Planner plans a device for a given user (when the signed-in user is not
// the assigned one, the stored manifest does not apply).
type Planner interface {
	Plan(ctx context.Context, key, upn string) (planner.Report, error)
}

// checkUser authenticates a person for this device: right password, an
// enabled account with a licence, and the assigned user when the device
// has one. Problems come back as *wire.Problem.
func (s *Service) checkUser(ctx context.Context, d autopilot.Device, upn, password string) (directory.User, error) {
	t, err := s.st.Tenant(ctx)
	if err != nil {
		return directory.User{}, err
	}
	upn = strings.TrimSpace(upn)
	if _, err := s.users.AuthenticateUser(ctx, t.ID, upn, password); err != nil {
		if errors.Is(err, token.ErrInvalidGrant) {
			return directory.User{}, problem(wire.CodeSignInFailed, "Check the account name and password and try again; your administrator can reset the password.",
				"Your account or password is incorrect.")
		}
		return directory.User{}, fmt.Errorf("checking the password: %w", err)
	}
	u, err := s.st.UserByUPN(ctx, upn)
	if err != nil {
		return directory.User{}, err
	}
	if !u.Licensed {
		return directory.User{}, problem(wire.CodeUnlicensed, "Ask your administrator to assign you a licence, or sign in with another account.",
			"%s does not have a licence for %s's device management, so this device cannot be set up for you.", u.UPN, t.DisplayName)
	}
	if d.UserPrincipalName != "" && !strings.EqualFold(d.UserPrincipalName, u.UPN) {
		return directory.User{}, problem(wire.CodeWrongUser, "Sign in as the person this device was prepared for, or ask your administrator to assign it to you.",
			"This device is assigned to %s.", d.UserPrincipalName)
	}
	return u, nil
}

// SignIn is the user's Entra sign-in on an enrolled device: it records the
// primary user, whose user phase the device may then fetch.
func (s *Service) SignIn(ctx context.Context, md ManagedDevice, req wire.SignInRequest) (wire.SignInResponse, error) {
	d, err := s.st.AutopilotDevice(ctx, md.ZTDID)
	if err != nil {
		return wire.SignInResponse{}, err
	}
	u, err := s.checkUser(ctx, d, req.UPN, req.Password)
	if err != nil {
		return wire.SignInResponse{}, err
	}
	err = s.st.EnrollTx(ctx, func(tx Tx) error {
		cur, err := tx.ManagedDeviceByZTD(ctx, md.ZTDID)
		if err != nil {
			return err
		}
		if cur.ID != md.ID {
			return apperr.ErrNotFound
		}
		cur.PrimaryUser = u.UPN
		return tx.PutManagedDevice(ctx, cur)
	})
	if err != nil {
		return wire.SignInResponse{}, fmt.Errorf("recording the primary user: %w", err)
	}
	s.log.Info("user signed in on device", "ztdId", md.ZTDID, "user", u.UPN)
	t, _ := s.st.Tenant(ctx)
	return wire.SignInResponse{UPN: u.UPN, DisplayName: u.DisplayName, Organization: t.DisplayName}, nil
}

// EnrollUser enrolls a device user-driven, with the user's credentials
// instead of TPM attestation (no pre-provisioning).
func (s *Service) EnrollUser(ctx context.Context, req wire.UserEnrollRequest) (wire.EnrollResponse, error) {
	res, d, _, err := s.lookup(ctx, req.HardwareHash)
	if err != nil {
		return wire.EnrollResponse{}, err
	}
	if p := res.Problem; p != nil && p.Code != wire.CodeNotPreprovisioning && p.Code != wire.CodeNoDeviceESP {
		return wire.EnrollResponse{}, p
	}
	u, err := s.checkUser(ctx, d, req.UPN, req.Password)
	if err != nil {
		return wire.EnrollResponse{}, err
	}
	cert, err := s.ca.IssueDevice(req.CSR, d.ID, DeviceCertLife)
	if err != nil {
		return wire.EnrollResponse{}, problem(wire.CodeBadRequest, "Retry.", "The certificate request was refused: %v", err)
	}
	now := s.now()
	thumb := sha256.Sum256(cert.Raw)
	var md ManagedDevice
	err = s.st.EnrollTx(ctx, func(tx Tx) error {
		d, err := tx.AutopilotDevice(ctx, d.ID)
		if err != nil {
			return err
		}
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
		md = ManagedDevice{
			ID: uuid.NewString(), ZTDID: d.ID, DeviceName: deviceName(d, p), SerialNumber: d.SerialNumber,
			CertSerial: cert.SerialNumber.Text(16), CertThumbprint: hex.EncodeToString(thumb[:]),
			TPMKind: req.TPM.Kind, TPMManufacturer: req.TPM.Manufacturer, OSEdition: req.OS.Edition, OSBuild: req.OS.Build,
			Stage: StageUser, PrimaryUser: u.UPN, EnrolledAt: now, LastContactAt: now,
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
	s.log.Info("device enrolled user-driven", "ztdId", d.ID, "user", u.UPN)

	return wire.EnrollResponse{Certificate: cert.Raw, CA: s.ca.Cert.Raw, ManagedDeviceID: md.ID, Device: res.Device}, nil
}

// phases returns the device's phases for its primary user: the stored
// manifest when that user is the assigned one (or there is none), else a
// plan computed for the signed-in user by the same rules.
func (s *Service) phases(ctx context.Context, md ManagedDevice, d autopilot.Device, stored []targeting.Phase) ([]targeting.Phase, string, error) {
	if md.PrimaryUser == "" || strings.EqualFold(md.PrimaryUser, d.UserPrincipalName) || s.planner == nil {
		return stored, "", nil
	}
	rep, err := s.planner.Plan(ctx, d.ID, md.PrimaryUser)
	if err != nil {
		return nil, "", fmt.Errorf("planning for %s: %w", md.PrimaryUser, err)
	}
	b, _ := json.Marshal(rep.Phases)
	sum := sha256.Sum256(b)
	return rep.Phases, hex.EncodeToString(sum[:]), nil
}
