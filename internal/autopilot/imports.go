package autopilot

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
	"github.com/whiteglove/whiteglove/internal/directory"
)

// ErrLeaseLost means another processor took over imports this one was
// working on (its lease expired); the work is rolled back and left to them.
var ErrLeaseLost = errors.New("the imports' lease passed to another processor")

// MaxImportBatch is the most devices one import call may carry.
const MaxImportBatch = 10000

// leaseTime is how long a processor owns claimed imports; a crashed
// replica's claims are taken over after it.
const leaseTime = 30 * time.Second

// processBatch is how many imports one transaction registers.
const processBatch = 1000

// Submit records import requests as "unknown" (processing) and wakes the
// processor; it returns them as stored. Requests submitted together share
// an importId. Nothing is registered yet: Process does that.
func (s *Service) Submit(ctx context.Context, reqs []Import) ([]Import, error) {
	out, err := s.prepare(reqs, "")
	if err != nil {
		return nil, err
	}
	// Recorded already leased to this process, which registers them next.
	err = s.store.AutopilotTx(ctx, func(tx Tx) error { return tx.PutImports(ctx, out, s.owner, s.now().Add(leaseTime)) })
	if err != nil {
		return nil, fmt.Errorf("recording %d imports: %w", len(out), err)
	}
	s.mu.Lock()
	s.mine = append(s.mine, append([]Import(nil), out...))
	s.mu.Unlock()
	s.Wake()
	return out, nil
}

// takeMine returns the next batch this process submitted, if any.
func (s *Service) takeMine() []Import {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.mine) == 0 {
		return nil
	}
	b := s.mine[0]
	s.mine = s.mine[1:]
	return b
}

// ImportNow records imports (as part of importID, or a new import when
// empty) and registers them before returning, for the CSV importer that
// reports each row's outcome. The records are leased to
// this process while it works; if it stops, another processor finishes them.
func (s *Service) ImportNow(ctx context.Context, importID string, reqs []Import) ([]Import, error) {
	if len(reqs) == 0 {
		return nil, nil
	}
	out, err := s.prepare(reqs, importID)
	if err != nil {
		return nil, err
	}
	// One transaction records the requests with their outcomes and
	// registers the devices: nothing is left half-done if it fails.
	if err := s.register(ctx, out, true); err != nil {
		return nil, fmt.Errorf("registering %d devices: %w", len(out), err)
	}
	return out, nil
}

// prepare validates requests and stamps them as one import: importID, or
// a new one when empty.
func (s *Service) prepare(reqs []Import, importID string) ([]Import, error) {
	if len(reqs) == 0 {
		return nil, apperr.Invalid("no devices to import")
	}
	if len(reqs) > MaxImportBatch {
		return nil, apperr.Invalid("at most %d devices per import call; split the list", MaxImportBatch)
	}
	if importID == "" {
		importID = uuid.NewString()
	}
	now := s.now()
	out := make([]Import, len(reqs))
	for i, r := range reqs {
		if err := validateImport(r); err != nil {
			return nil, fmt.Errorf("device %d: %w", i+1, err)
		}
		r.ID = uuid.NewString()
		r.ImportID = importID
		r.Seq = i
		r.Status = ImportUnknown
		r.RegistrationID, r.ErrorCode, r.ErrorName = "", 0, ""
		r.CreatedAt = now
		r.CompletedAt = time.Time{}
		out[i] = r
	}
	return out, nil
}

func validateImport(r Import) error {
	n := utf8.RuneCountInString
	if n(r.SerialNumber) > 256 || n(r.GroupTag) > 256 || n(r.ProductKey) > 256 || n(r.AssignedUPN) > 256 {
		return apperr.Invalid("serialNumber, groupTag, productKey and assignedUserPrincipalName are limited to 256 characters")
	}
	if len(r.HardwareHash) > 64<<10 {
		return apperr.Invalid("hardwareIdentifier is larger than 64 KiB")
	}
	return nil
}

// Wake asks the processor to look for work now.
func (s *Service) Wake() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Run processes imports until ctx ends: at once when woken, and every
// interval to take over work a stopped replica left behind.
func (s *Service) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.Process(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("processing imports", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-s.kick:
		case <-t.C:
		}
	}
}

// Process registers every pending import it can claim and returns how many
// it finished. Safe to run on every replica: claims are leased.
func (s *Service) Process(ctx context.Context) (int, error) {
	done := 0
	for {
		claimed := s.takeMine()
		if claimed == nil {
			now := s.now()
			err := s.store.AutopilotTx(ctx, func(tx Tx) error {
				var err error
				claimed, err = tx.ClaimImports(ctx, s.owner, now, now.Add(leaseTime), processBatch)
				return err
			})
			if err != nil {
				return done, fmt.Errorf("claiming imports: %w", err)
			}
		}
		if len(claimed) == 0 {
			return done, nil
		}
		if err := s.register(ctx, claimed, false); errors.Is(err, ErrLeaseLost) {
			s.log.Warn("imports taken over by another processor", "count", len(claimed))
			done += len(claimed)
			continue
		} else if err != nil {
			// One bad row must not hold the batch: retry one by one and
			// record a storage error for any that still fail.
			s.log.Warn("import batch failed, retrying one by one", "count", len(claimed), "err", err)
			for _, im := range claimed {
				im = resetOutcome(im)
				if err := s.register(ctx, []Import{im}, false); errors.Is(err, ErrLeaseLost) {
					continue
				} else if err != nil {
					s.log.Error("import failed", "import", im.ID, "serial", im.SerialNumber, "err", err)
					im.Status, im.ErrorName, im.ErrorCode = ImportError, ErrNameStorage, ErrorCodes[ErrNameStorage]
					im.CompletedAt = s.now()
					err := s.store.AutopilotTx(ctx, func(tx Tx) error { return tx.FinishImports(ctx, s.owner, []Import{im}) })
					if err != nil && !errors.Is(err, ErrLeaseLost) {
						return done, err
					}
				}
			}
		}
		done += len(claimed)
	}
}

// register decides each import's outcome and registers the good ones, with
// their Entra device objects and profiles, in one transaction. Claimed
// imports (fresh=false) are finished under this process's lease; fresh ones
// are recorded with their outcome.
func (s *Service) register(ctx context.Context, ims []Import, fresh bool) error {
	return s.store.AutopilotTx(ctx, func(tx Tx) error {
		now := s.now()
		for i := range ims {
			ims[i] = resetOutcome(ims[i]) // a retried transaction starts clean
		}
		decoded := make([]*hwhash.Hash, len(ims))
		fps := make([]string, 0, len(ims))
		for i := range ims {
			h, err := hwhash.Decode(ims[i].HardwareHash)
			if err != nil {
				fail(&ims[i], ErrNameInvalidHash, err.Error(), now)
				continue
			}
			decoded[i] = h
			fps = append(fps, h.Fingerprint())
		}
		known, err := tx.AutopilotDevicesByFingerprint(ctx, fps)
		if err != nil {
			return err
		}
		// The same machine re-captured with its TPM off or a reset SMBIOS UUID
		// has another fingerprint: serial and manufacturer still identify it.
		var serials []string
		for _, h := range decoded {
			if h != nil && !hasFingerprint(known, h) {
				serials = append(serials, strings.TrimSpace(h.SerialNumber))
			}
		}
		bySerial := map[string]Device{}
		if len(serials) > 0 {
			same, err := tx.AutopilotDevicesBySerials(ctx, serials)
			if err != nil {
				return err
			}
			for _, d := range same {
				bySerial[machineKey(d.SerialNumber, d.Manufacturer)] = d
			}
		}
		users := map[string]directory.User{}
		inBatch := map[string]bool{}
		var devs []Device
		var entra []directory.Device
		for i := range ims {
			im := &ims[i]
			h := decoded[i]
			if h == nil {
				continue
			}
			fp := h.Fingerprint()
			if given := strings.TrimSpace(im.SerialNumber); given != "" && strings.TrimSpace(h.SerialNumber) != "" &&
				!strings.EqualFold(given, strings.TrimSpace(h.SerialNumber)) {
				fail(im, ErrNameSerialMismatch, fmt.Sprintf("the serial number %q does not match the one in the hardware hash (%q): a spreadsheet may have changed it", given, h.SerialNumber), now)
				continue
			}
			prior, registered := known[fp]
			if !registered {
				prior, registered = bySerial[machineKey(h.SerialNumber, h.Manufacturer)]
			}
			switch {
			case inBatch[fp], registered && prior.ImportID == im.ImportID:
				fail(im, ErrNameDuplicated, "the same hardware hash appears earlier in this import; only the first was registered", now)
				continue
			case registered:
				fail(im, ErrNameAlreadyAssigned, "this device is already registered as "+prior.ID, now)
				continue
			}
			upn := strings.TrimSpace(im.AssignedUPN)
			if upn != "" {
				if _, ok := users[strings.ToLower(upn)]; !ok {
					u, err := tx.UserByUPN(ctx, upn)
					if errors.Is(err, directory.ErrNotFound) {
						fail(im, ErrNameUserNotFound, "no user "+upn+" in this tenant", now)
						continue
					}
					if err != nil {
						return err
					}
					users[strings.ToLower(upn)] = u
				}
			}
			inBatch[fp] = true
			d := newDevice(*im, h, fp, now)
			d.HardwareHash = compactHash(h, im.HardwareHash)
			if upn != "" {
				u := users[strings.ToLower(upn)]
				d.UserPrincipalName, d.AddressableUserName = u.UPN, u.DisplayName
			}
			devs = append(devs, d)
			entra = append(entra, entraFor(d))
			im.Status, im.RegistrationID, im.CompletedAt = ImportComplete, d.ID, now
		}
		if len(devs) > 0 {
			created, err := s.dir.CreateDevicesTx(ctx, tx, entra)
			if err != nil {
				return fmt.Errorf("creating Entra device objects: %w", err)
			}
			for i := range devs {
				devs[i].EntraObjectID, devs[i].EntraDeviceID = created[i].ID, created[i].DeviceID
			}
			e, err := loadEngine(ctx, tx)
			if err != nil {
				return err
			}
			ups, err := e.assignProfiles(ctx, tx, devs, now)
			if err != nil {
				return err
			}
			byID := make(map[string]ProfileUpdate, len(ups))
			for _, u := range ups {
				byID[u.DeviceID] = u
			}
			for i := range devs {
				if u, ok := byID[devs[i].ID]; ok {
					devs[i].ProfileID, devs[i].ProfileStatus, devs[i].ProfileAssignedAt = u.ProfileID, u.Status, u.AssignedAt
				}
			}
			if err := tx.PutAutopilotDevices(ctx, devs); err != nil {
				return fmt.Errorf("registering %d devices: %w", len(devs), err)
			}
			ids := make([]string, len(devs))
			for i, d := range devs {
				ids[i] = d.ID
			}
			if err := s.devicesChanged(ctx, tx, ids); err != nil {
				return err
			}
		}
		if fresh {
			rows := make([]Import, len(ims))
			for i, im := range ims {
				im.HardwareHash = "" // kept on the device; a finished request needs none
				rows[i] = im
			}
			return tx.PutImports(ctx, rows, "", time.Time{})
		}
		return tx.FinishImports(ctx, s.owner, ims)
	})
}

func hasFingerprint(known map[string]Device, h *hwhash.Hash) bool {
	_, ok := known[h.Fingerprint()]
	return ok
}

// machineKey identifies a machine by serial number and manufacturer.
func machineKey(serial, manufacturer string) string {
	return strings.ToLower(strings.TrimSpace(serial)) + "\x00" + strings.ToLower(strings.TrimSpace(manufacturer))
}

// resetOutcome clears what a previous (rolled-back) attempt decided.
func resetOutcome(im Import) Import {
	im.Status, im.RegistrationID, im.ErrorCode, im.ErrorName, im.Message, im.CompletedAt = ImportUnknown, "", 0, "", "", time.Time{}
	return im
}

func fail(im *Import, name, msg string, now time.Time) {
	im.Status, im.ErrorName, im.ErrorCode, im.Message, im.CompletedAt = ImportError, name, ErrorCodes[name], msg, now
}

// newDevice builds the identity registered from an import.
func newDevice(im Import, h *hwhash.Hash, fp string, now time.Time) Device {
	serial := strings.TrimSpace(im.SerialNumber)
	if serial == "" {
		serial = h.SerialNumber
	}
	return Device{
		ID: uuid.NewString(), Fingerprint: fp, SerialNumber: serial,
		Manufacturer: h.Manufacturer, Model: h.Model, ProductKey: im.ProductKey, SystemFamily: h.SystemFamily, SKUNumber: h.SKU,
		GroupTag: strings.TrimSpace(im.GroupTag), EnrollmentState: EnrollmentNotContacted, HardwareHash: im.HardwareHash,
		ImportID: im.ImportID, ProfileStatus: ProfileNotAssigned, RemediationState: "noRemediationRequired",
		UserlessEnrollmentStatus: "allowed", CreatedAt: now, UpdatedAt: now,
	}
}

// entraFor is the Entra device object that anchors an identity in groups.
func entraFor(d Device) directory.Device {
	return directory.Device{
		DisplayName: d.SerialNumber, AccountEnabled: true, OperatingSystem: "Windows",
		Manufacturer: d.Manufacturer, Model: d.Model, PhysicalIDs: physicalIDs(d),
	}
}

// physicalIDs are the markers dynamic groups match on.
func physicalIDs(d Device) []string {
	ids := []string{"[ZTDID]:" + d.ID}
	if d.GroupTag != "" {
		ids = append(ids, "[OrderId]:"+d.GroupTag)
	}
	if d.PurchaseOrder != "" {
		ids = append(ids, "[PurchaseOrderId]:"+d.PurchaseOrder)
	}
	return ids
}

// compactHash stores a hash without its zero padding (the 3,000-byte blob
// is mostly padding; the decoder reads the shorter form back unchanged).
func compactHash(h *hwhash.Hash, text string) string {
	if len(h.Raw) < 4 {
		return text
	}
	end := int(binary.LittleEndian.Uint16(h.Raw[2:4])) + 36 // TotalLength + checksum record
	if end <= 0 || end > len(h.Raw) {
		return text
	}
	return base64.StdEncoding.EncodeToString(h.Raw[:end])
}

// DeleteImport removes an import record (clients delete them after reading
// the outcome, whatever it was).
func (s *Service) DeleteImport(ctx context.Context, id string) error {
	return s.store.AutopilotTx(ctx, func(tx Tx) error { return tx.DeleteImport(ctx, id) })
}
