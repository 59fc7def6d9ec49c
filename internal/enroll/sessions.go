package enroll

import (
	"context"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
	"github.com/whiteglove/whiteglove/internal/esp"
)

// Limits of what a device sends.
const (
	MaxEventsPerBatch = 1000
	maxEventText      = 4096
)

// OpenSession opens a provisioning session, or returns the device's own
// session with that id when it is already open (the call is repeated after
// a power loss).
func (s *Service) OpenSession(ctx context.Context, md ManagedDevice, req wire.SessionRequest) (Session, error) {
	if req.Phase != wire.PhaseTechnician && req.Phase != wire.PhaseUser {
		return Session{}, apperr.Invalid("phase must be %q or %q", wire.PhaseTechnician, wire.PhaseUser)
	}
	if len(req.SessionID) < 8 || len(req.SessionID) > 64 {
		return Session{}, apperr.Invalid("sessionId must be 8 to 64 characters")
	}
	var out Session
	err := s.st.EnrollTx(ctx, func(tx Tx) error {
		cur, err := tx.LockSession(ctx, req.SessionID)
		if err == nil {
			if cur.DeviceID != md.ZTDID {
				return apperr.ErrConflict
			}
			out = cur
			return nil
		}
		if !errors.Is(err, apperr.ErrNotFound) {
			return err
		}
		start := req.StartedAt.UTC()
		if start.IsZero() || start.After(s.now().Add(time.Minute)) {
			start = s.now()
		}
		out = Session{ID: req.SessionID, DeviceID: md.ZTDID, Phase: req.Phase, State: SessionRunning, StartedAt: start}
		if err := tx.PutSession(ctx, out); err != nil {
			return err
		}
		if req.Phase == wire.PhaseUser {
			cur, err := tx.ManagedDeviceByZTD(ctx, md.ZTDID)
			if err != nil {
				return err
			}
			if cur.Stage != StageComplete {
				cur.Stage = StageUser
				return tx.PutManagedDevice(ctx, cur)
			}
		}
		return nil
	})
	if errors.Is(err, apperr.ErrConflict) {
		return Session{}, apperr.State("session %s belongs to another device", req.SessionID)
	}
	if err != nil {
		return Session{}, fmt.Errorf("opening a provisioning session: %w", err)
	}
	return out, nil
}

// AppendEvents stores a batch of timeline events (repeats are ignored) and
// says through which seq the service holds them all.
func (s *Service) AppendEvents(ctx context.Context, md ManagedDevice, sessionID string, evs []wire.Event) (wire.EventsAck, error) {
	if len(evs) > MaxEventsPerBatch {
		return wire.EventsAck{}, apperr.Invalid("at most %d events per batch", MaxEventsPerBatch)
	}
	for i, e := range evs {
		if err := checkEvent(e); err != nil {
			return wire.EventsAck{}, apperr.Invalid("event %d: %v", i, err)
		}
	}
	var ack wire.EventsAck
	err := s.st.EnrollTx(ctx, func(tx Tx) error {
		se, err := tx.LockSession(ctx, sessionID)
		if err != nil {
			return err
		}
		if se.DeviceID != md.ZTDID {
			return apperr.ErrNotFound // another device's session does not exist for this one
		}
		if err := tx.InsertEvents(ctx, sessionID, evs); err != nil {
			return err
		}
		n, err := tx.ContiguousSeq(ctx, sessionID, se.LastSeq)
		if err != nil {
			return err
		}
		ack.Through = n
		if n != se.LastSeq {
			se.LastSeq = n
			return tx.PutSession(ctx, se)
		}
		return nil
	})
	if err != nil {
		return wire.EventsAck{}, fmt.Errorf("storing timeline events: %w", err)
	}
	return ack, nil
}

func checkEvent(e wire.Event) error {
	if e.Seq < 1 {
		return errors.New("seq must be 1 or more")
	}
	if e.Time.IsZero() {
		return errors.New("time is required")
	}
	if e.Step == "" || e.Name == "" || e.State == "" {
		return errors.New("step, name and state are required")
	}
	for _, f := range []string{e.Step, e.ItemID, e.Name, e.Category, e.State, e.Detail, e.Error} {
		if len(f) > maxEventText || !utf8.ValidString(f) {
			return fmt.Errorf("a field is longer than %d bytes or not UTF-8", maxEventText)
		}
	}
	return nil
}

// EndSession records how a session ended.
func (s *Service) EndSession(ctx context.Context, md ManagedDevice, sessionID string, r wire.SessionResult) (Session, error) {
	if r.Result != SessionSucceeded && r.Result != SessionFailed {
		return Session{}, apperr.Invalid("result must be %q or %q", SessionSucceeded, SessionFailed)
	}
	var out Session
	err := s.st.EnrollTx(ctx, func(tx Tx) error {
		se, err := tx.LockSession(ctx, sessionID)
		if err != nil {
			return err
		}
		if se.DeviceID != md.ZTDID {
			return apperr.ErrNotFound
		}
		now := s.now()
		end := r.EndedAt.UTC()
		if end.IsZero() || end.After(now.Add(time.Minute)) || end.Before(se.StartedAt) {
			end = now
		}
		se.State, se.EndedAt, se.Error = r.Result, end, truncate(r.Error, maxEventText)
		if err := tx.PutSession(ctx, se); err != nil {
			return err
		}
		out = se
		if r.Result != SessionSucceeded {
			return nil
		}
		cur, err := tx.ManagedDeviceByZTD(ctx, md.ZTDID)
		if err != nil {
			return err
		}
		switch se.Phase {
		case wire.PhaseTechnician:
			cur.TechnicianDoneAt = end
		case wire.PhaseUser:
			cur.Stage, cur.UserDoneAt = StageComplete, end
		}
		return tx.PutManagedDevice(ctx, cur)
	})
	if err != nil {
		return Session{}, fmt.Errorf("ending the provisioning session: %w", err)
	}
	return out, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Reseal records that the technician resealed the device. It is refused
// until a technician session succeeded: the service, too, never lets a
// device be sealed early.
func (s *Service) Reseal(ctx context.Context, md ManagedDevice, req wire.ResealRequest) (ManagedDevice, error) {
	early := false
	if req.AcknowledgePending {
		d, err := s.st.AutopilotDevice(ctx, md.ZTDID)
		if err != nil {
			return ManagedDevice{}, err
		}
		res, err := s.esp.Resolve(ctx, esp.ResolveInput{DeviceID: d.EntraObjectID, PreProvisioning: true})
		if err != nil {
			return ManagedDevice{}, fmt.Errorf("resolving the ESP profile: %w", err)
		}
		early = !res.Profile.ShowInstallationProgress || res.Profile.AllowDeviceUseOnInstallFailure
		if !early {
			return ManagedDevice{}, apperr.State("the ESP profile %q blocks the device until its items are installed: it cannot be resealed with %d items pending", res.Profile.DisplayName, len(req.Pending))
		}
	}
	var out ManagedDevice
	err := s.st.EnrollTx(ctx, func(tx Tx) error {
		cur, err := tx.ManagedDeviceByZTD(ctx, md.ZTDID)
		if err != nil {
			return err
		}
		if cur.ID != md.ID {
			return apperr.ErrNotFound
		}
		switch {
		case cur.Stage == StageSealed:
			out = cur
			return nil
		case cur.Stage != StageTechnician:
			return apperr.State("device %s is past the technician phase (stage %s)", md.ZTDID, cur.Stage)
		case cur.TechnicianDoneAt.IsZero() && !early:
			return apperr.State("device %s cannot be resealed before its technician phase succeeded", md.ZTDID)
		}
		cur.Stage, cur.SealedAt = StageSealed, s.now()
		out = cur
		return tx.PutManagedDevice(ctx, cur)
	})
	if err != nil {
		return ManagedDevice{}, fmt.Errorf("resealing: %w", err)
	}
	s.log.Info("device resealed", "ztdId", md.ZTDID, "pending", len(req.Pending))
	return out, nil
}

// Status returns the device's own record.
func (s *Service) Status(ctx context.Context, md ManagedDevice) (wire.Status, error) {
	d, err := s.st.AutopilotDevice(ctx, md.ZTDID)
	if err != nil {
		return wire.Status{}, err
	}
	t, err := s.st.Tenant(ctx)
	if err != nil {
		return wire.Status{}, err
	}
	info, _, err := s.describe(ctx, t.DisplayName, t.Seats, d)
	if err != nil {
		return wire.Status{}, err
	}
	info.DeviceName = md.DeviceName
	return wire.Status{Device: *info, ManagedDeviceID: md.ID, EnrollmentState: d.EnrollmentState, Stage: md.Stage, PrimaryUser: md.PrimaryUser}, nil
}

// IssueCertificate issues the certificate of a certificate policy in the
// device's manifest, for a key the device generated.
func (s *Service) IssueCertificate(ctx context.Context, md ManagedDevice, req wire.CertificateRequest) (wire.Certificate, error) {
	phases, err := s.effective(ctx, md)
	if err != nil {
		return wire.Certificate{}, fmt.Errorf("reading the manifest: %w", err)
	}
	found := false
	for _, p := range phases {
		for _, e := range p.Items {
			found = found || (e.ID == req.PolicyID && e.Kind == wire.KindPolicy)
		}
	}
	if !found {
		return wire.Certificate{}, apperr.ErrNotFound
	}
	p, err := s.cat.Policy(ctx, req.PolicyID)
	if err != nil {
		return wire.Certificate{}, err
	}
	if p.Certificate == nil {
		return wire.Certificate{}, apperr.Invalid("policy %s is not a certificate profile", req.PolicyID)
	}
	subj, err := parseSubject(certSubject(p.Certificate, md))
	if err != nil {
		return wire.Certificate{}, apperr.Invalid("the profile's subject: %v", err)
	}
	var ekus []x509.ExtKeyUsage
	for _, e := range p.Certificate.ExtendedKeyUsages {
		switch e.OID {
		case "1.3.6.1.5.5.7.3.2":
			ekus = append(ekus, x509.ExtKeyUsageClientAuth)
		case "1.3.6.1.5.5.7.3.1":
			ekus = append(ekus, x509.ExtKeyUsageServerAuth)
		}
	}
	if len(ekus) == 0 {
		ekus = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	}
	cert, err := s.ca.IssueFor(req.CSR, subj, validity(p.Certificate), ekus)
	if err != nil {
		return wire.Certificate{}, apperr.Invalid("the certificate request was refused: %v", err)
	}
	return wire.Certificate{Certificate: cert.Raw, CA: s.ca.Cert.Raw}, nil
}

func validity(c *apps.CertificateProfile) time.Duration {
	n := c.ValidityValue
	if n <= 0 {
		n = apps.DefaultValidity
	}
	switch c.ValidityScale {
	case "days":
		return time.Duration(n) * 24 * time.Hour
	case "months":
		return time.Duration(n) * 30 * 24 * time.Hour
	default:
		return time.Duration(n) * 365 * 24 * time.Hour
	}
}

// parseSubject reads "CN=x,O=y,OU=z,C=w,L=v,ST=u" (the RDNs certificate
// profiles use).
func parseSubject(s string) (pkix.Name, error) {
	var n pkix.Name
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || strings.TrimSpace(v) == "" {
			return n, fmt.Errorf("%q is not NAME=value", part)
		}
		v = strings.TrimSpace(v)
		switch strings.ToUpper(strings.TrimSpace(k)) {
		case "CN":
			n.CommonName = v
		case "O":
			n.Organization = append(n.Organization, v)
		case "OU":
			n.OrganizationalUnit = append(n.OrganizationalUnit, v)
		case "C":
			n.Country = append(n.Country, v)
		case "L":
			n.Locality = append(n.Locality, v)
		case "ST", "S":
			n.Province = append(n.Province, v)
		case "E", "EMAIL":
			n.ExtraNames = append(n.ExtraNames, pkix.AttributeTypeAndValue{Type: []int{1, 2, 840, 113549, 1, 9, 1}, Value: v})
		default:
			return n, fmt.Errorf("unknown attribute %q", k)
		}
	}
	return n, nil
}

// PutLogs records an uploaded diagnostics bundle.
func (s *Service) PutLogs(ctx context.Context, md ManagedDevice, sha string, size int64) (LogBundle, error) {
	b := LogBundle{ID: fmt.Sprintf("%s-%d", md.ZTDID, s.now().UnixNano()), DeviceID: md.ZTDID, SHA256: sha, Size: size, UploadedAt: s.now()}
	if err := s.st.EnrollTx(ctx, func(tx Tx) error { return tx.PutLogBundle(ctx, b) }); err != nil {
		return LogBundle{}, fmt.Errorf("recording the log bundle: %w", err)
	}
	return b, nil
}

// Timeline is a device's sessions with their events, oldest first.
type Timeline struct {
	ZTDID    string            `json:"ztdId"`
	Sessions []SessionTimeline `json:"sessions"`
	Logs     []LogBundle       `json:"logs"`
	// ShelfSeconds is the time between reseal and the user phase, left
	// out of provisioning durations.
	ShelfSeconds float64 `json:"shelfSeconds"`
	// ProvisioningSeconds is technician plus user phase time.
	ProvisioningSeconds float64 `json:"provisioningSeconds"`
}

// SessionTimeline is one session and its events.
type SessionTimeline struct {
	Session
	Seconds float64      `json:"seconds"`
	Events  []wire.Event `json:"events"`
}

// Timeline returns a device's provisioning history.
func (s *Service) Timeline(ctx context.Context, ztdID string) (Timeline, error) {
	if _, err := s.st.AutopilotDevice(ctx, ztdID); err != nil {
		return Timeline{}, err
	}
	ss, err := s.st.Sessions(ctx, ztdID)
	if err != nil {
		return Timeline{}, err
	}
	t := Timeline{ZTDID: ztdID, Sessions: []SessionTimeline{}}
	var lastTechEnd time.Time
	for _, se := range ss {
		evs, err := s.st.Events(ctx, se.ID)
		if err != nil {
			return Timeline{}, err
		}
		st := SessionTimeline{Session: se, Events: evs}
		if !se.EndedAt.IsZero() {
			st.Seconds = se.EndedAt.Sub(se.StartedAt).Seconds()
			t.ProvisioningSeconds += st.Seconds
		}
		if se.Phase == wire.PhaseTechnician && se.State == SessionSucceeded {
			lastTechEnd = se.EndedAt
		}
		if se.Phase == wire.PhaseUser && !lastTechEnd.IsZero() && t.ShelfSeconds == 0 {
			t.ShelfSeconds = se.StartedAt.Sub(lastTechEnd).Seconds()
		}
		t.Sessions = append(t.Sessions, st)
	}
	if t.Logs, err = s.st.LogBundles(ctx, ztdID); err != nil {
		return Timeline{}, err
	}
	return t, nil
}

// ManagedDevices lists enrolled devices.
func (s *Service) ManagedDevices(ctx context.Context) ([]ManagedDevice, error) {
	return s.st.ManagedDevices(ctx)
}

// ManagedDevice returns one enrolled device.
func (s *Service) ManagedDevice(ctx context.Context, id string) (ManagedDevice, error) {
	return s.st.ManagedDevice(ctx, id)
}

// DeleteManagedDevice removes an enrollment (Intune's "Delete"): the
// device's certificate stops working at once, and the Autopilot device may
// enroll again.
func (s *Service) DeleteManagedDevice(ctx context.Context, id string) error {
	return s.st.EnrollTx(ctx, func(tx Tx) error {
		md, err := tx.ManagedDevice(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteManagedDevice(ctx, id); err != nil {
			return err
		}
		d, err := tx.AutopilotDevice(ctx, md.ZTDID)
		if errors.Is(err, apperr.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if d.ManagedDeviceID == id {
			d.ManagedDeviceID, d.EnrollmentState, d.UpdatedAt = "", autopilot.EnrollmentNotContacted, s.now()
			return tx.UpdateAutopilotDevice(ctx, d)
		}
		return nil
	})
}

// ManagedDeviceByZTD returns the enrollment of an Autopilot device.
func (s *Service) ManagedDeviceByZTD(ctx context.Context, ztdID string) (ManagedDevice, error) {
	return s.st.ManagedDeviceByZTD(ctx, ztdID)
}
