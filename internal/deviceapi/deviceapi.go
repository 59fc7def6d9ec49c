// Package deviceapi is the device-facing HTTP layer: the OOBE lookup,
// attestation and enrollment (public, proven by the TPM), and everything a
// device does afterwards, authenticated by its certificate through a
// short-lived token. A device sees only itself.
package deviceapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/content"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
	"github.com/whiteglove/whiteglove/internal/enroll"
)

// Limits.
const (
	maxBody     = 1 << 20  // JSON requests
	MaxLogsSize = 64 << 20 // a diagnostics zip
	MaxWait     = 55 * time.Second
)

// API serves the device routes.
type API struct {
	svc     *enroll.Service
	content *content.Store
	log     *slog.Logger
	mux     *http.ServeMux
}

// New wires the routes. Every route is either public (lookup, attestation,
// enrollment, nonce, token — each proves itself) or requires a device token.
func New(svc *enroll.Service, cs *content.Store, log *slog.Logger) *API {
	a := &API{svc: svc, content: cs, log: log, mux: http.NewServeMux()}
	p := wire.Prefix
	a.mux.HandleFunc("POST "+p+"/lookup", a.lookup)
	a.mux.HandleFunc("POST "+p+"/attest", a.attest)
	a.mux.HandleFunc("POST "+p+"/enroll", a.enroll)
	a.mux.HandleFunc("POST "+p+"/enroll-user", a.enrollUser)
	a.mux.HandleFunc("GET "+p+"/nonce", a.nonce)
	a.mux.HandleFunc("POST "+p+"/token", a.token)
	a.mux.HandleFunc("GET "+p+"/me", a.device(a.me))
	a.mux.HandleFunc("GET "+p+"/manifest", a.device(a.manifest))
	a.mux.HandleFunc("GET "+p+"/content/{sha}", a.device(a.blob))
	a.mux.HandleFunc("HEAD "+p+"/content/{sha}", a.device(a.blob))
	a.mux.HandleFunc("POST "+p+"/sessions", a.device(a.openSession))
	a.mux.HandleFunc("POST "+p+"/sessions/{id}/events", a.device(a.events))
	a.mux.HandleFunc("POST "+p+"/sessions/{id}/end", a.device(a.endSession))
	a.mux.HandleFunc("POST "+p+"/reseal", a.device(a.reseal))
	a.mux.HandleFunc("POST "+p+"/signin", a.device(a.signIn))
	a.mux.HandleFunc("POST "+p+"/certificates", a.device(a.certificate))
	a.mux.HandleFunc("POST "+p+"/logs", a.device(a.logs))
	a.mux.HandleFunc(p+"/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, http.StatusNotFound, &wire.Problem{Code: wire.CodeNotFound, Message: "No such device API route: " + r.Method + " " + r.URL.Path})
	})
	return a
}

// ServeHTTP serves the device API.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

type ctxKey struct{}

// device wraps a handler that needs an authenticated device.
func (a *API) device(h func(http.ResponseWriter, *http.Request, enroll.ManagedDevice)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || raw == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="whiteglove-device"`)
			writeProblem(w, http.StatusUnauthorized, &wire.Problem{Code: wire.CodeUnauthorized, Message: "A device token is required.", Action: "POST " + wire.Prefix + "/token with the device certificate."})
			return
		}
		md, err := a.svc.Authenticate(r.Context(), strings.TrimSpace(raw))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, md.ZTDID)), md)
	}
}

func (a *API) lookup(w http.ResponseWriter, r *http.Request) {
	var req wire.LookupRequest
	if !a.decode(w, r, &req) {
		return
	}
	res, err := a.svc.Lookup(r.Context(), req.HardwareHash)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (a *API) attest(w http.ResponseWriter, r *http.Request) {
	var req wire.AttestRequest
	if !a.decode(w, r, &req) {
		return
	}
	res, err := a.svc.Attest(r.Context(), req)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (a *API) enroll(w http.ResponseWriter, r *http.Request) {
	var req wire.EnrollRequest
	if !a.decode(w, r, &req) {
		return
	}
	res, err := a.svc.Enroll(r.Context(), req)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, res)
}

func (a *API) enrollUser(w http.ResponseWriter, r *http.Request) {
	var req wire.UserEnrollRequest
	if !a.decode(w, r, &req) {
		return
	}
	res, err := a.svc.EnrollUser(r.Context(), req)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, res)
}

func (a *API) signIn(w http.ResponseWriter, r *http.Request, md enroll.ManagedDevice) {
	var req wire.SignInRequest
	if !a.decode(w, r, &req) {
		return
	}
	res, err := a.svc.SignIn(r.Context(), md, req)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, res)
}

func (a *API) nonce(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, a.svc.Nonce())
}

func (a *API) token(w http.ResponseWriter, r *http.Request) {
	var req wire.TokenRequest
	if !a.decode(w, r, &req) {
		return
	}
	res, err := a.svc.Token(r.Context(), req)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, res)
}

func (a *API) me(w http.ResponseWriter, r *http.Request, md enroll.ManagedDevice) {
	st, err := a.svc.Status(r.Context(), md)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// manifest answers GET /manifest?phase=technician[&after=VERSION&wait=SECONDS]:
// with after and wait it holds the request until the manifest moves past
// that version (long poll), so a device in an active phase learns of a
// change at once.
func (a *API) manifest(w http.ResponseWriter, r *http.Request, md enroll.ManagedDevice) {
	q := r.URL.Query()
	phase := q.Get("phase")
	if phase == "" {
		phase = wire.PhaseTechnician
	}
	var after int64 = -1
	var wait time.Duration
	if v := q.Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			a.fail(w, r, apperr.Invalid("after must be a version number"))
			return
		}
		after = n
	}
	if v := q.Get("wait"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			a.fail(w, r, apperr.Invalid("wait must be a number of seconds"))
			return
		}
		wait = min(time.Duration(n)*time.Second, MaxWait)
	}
	m, err := a.svc.WaitManifest(r.Context(), md, phase, after, wait)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, m)
}

func (a *API) blob(w http.ResponseWriter, r *http.Request, md enroll.ManagedDevice) {
	sha := strings.ToLower(r.PathValue("sha"))
	if !content.ValidSHA256(sha) {
		a.fail(w, r, apperr.Invalid("content is named by its SHA-256 (64 hex digits)"))
		return
	}
	ok, err := a.svc.OwnsContent(r.Context(), md, sha)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if !ok {
		a.fail(w, r, apperr.ErrNotFound)
		return
	}
	a.content.ServeBlob(w, r, sha)
}

func (a *API) openSession(w http.ResponseWriter, r *http.Request, md enroll.ManagedDevice) {
	var req wire.SessionRequest
	if !a.decode(w, r, &req) {
		return
	}
	s, err := a.svc.OpenSession(r.Context(), md, req)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

func (a *API) events(w http.ResponseWriter, r *http.Request, md enroll.ManagedDevice) {
	var req wire.Events
	if !a.decode(w, r, &req) {
		return
	}
	ack, err := a.svc.AppendEvents(r.Context(), md, r.PathValue("id"), req.Events)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ack)
}

func (a *API) endSession(w http.ResponseWriter, r *http.Request, md enroll.ManagedDevice) {
	var req wire.SessionResult
	if !a.decode(w, r, &req) {
		return
	}
	s, err := a.svc.EndSession(r.Context(), md, r.PathValue("id"), req)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

func (a *API) reseal(w http.ResponseWriter, r *http.Request, md enroll.ManagedDevice) {
	var req wire.ResealRequest
	if !a.decode(w, r, &req) {
		return
	}
	if _, err := a.svc.Reseal(r.Context(), md, req); err != nil {
		a.fail(w, r, err)
		return
	}
	st, err := a.svc.Status(r.Context(), md)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	st.Stage = enroll.StageSealed
	writeJSON(w, http.StatusOK, st)
}

func (a *API) certificate(w http.ResponseWriter, r *http.Request, md enroll.ManagedDevice) {
	var req wire.CertificateRequest
	if !a.decode(w, r, &req) {
		return
	}
	c, err := a.svc.IssueCertificate(r.Context(), md, req)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// logs takes a diagnostics zip (application/zip, at most MaxLogsSize).
func (a *API) logs(w http.ResponseWriter, r *http.Request, md enroll.ManagedDevice) {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/zip" {
		a.fail(w, r, apperr.Invalid("logs are uploaded as application/zip"))
		return
	}
	b, err := a.content.Put(r.Context(), http.MaxBytesReader(w, r.Body, MaxLogsSize), MaxLogsSize)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeProblem(w, http.StatusRequestEntityTooLarge, &wire.Problem{Code: wire.CodeBadRequest, Message: fmt.Sprintf("A log bundle is at most %d MiB.", MaxLogsSize>>20)})
			return
		}
		a.fail(w, r, apperr.Invalid("storing the log bundle: %v", err))
		return
	}
	lb, err := a.svc.PutLogs(r.Context(), md, b.SHA256, b.Size)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, lb)
}

// decode reads a JSON body of at most maxBody bytes.
func (a *API) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		writeProblem(w, http.StatusUnsupportedMediaType, &wire.Problem{Code: wire.CodeBadRequest, Message: "Send application/json."})
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	if err := dec.Decode(v); err != nil {
		writeProblem(w, http.StatusBadRequest, &wire.Problem{Code: wire.CodeBadRequest, Message: "The request body is not valid JSON for this route: " + err.Error()})
		return false
	}
	if _, err := dec.Token(); err != io.EOF {
		writeProblem(w, http.StatusBadRequest, &wire.Problem{Code: wire.CodeBadRequest, Message: "The request body has data after the JSON object."})
		return false
	}
	return true
}

// fail maps an error to a status and a problem; failures of the service
// itself are logged and answered without detail.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	var p *wire.Problem
	var inv *apperr.InvalidError
	var st *apperr.StateError
	switch {
	case errors.As(err, &p):
		writeProblem(w, problemStatus(p.Code), p)
	case errors.As(err, &inv):
		writeProblem(w, http.StatusBadRequest, &wire.Problem{Code: wire.CodeBadRequest, Message: inv.Msg})
	case errors.As(err, &st):
		writeProblem(w, http.StatusConflict, &wire.Problem{Code: "Conflict", Message: st.Msg})
	case errors.Is(err, apperr.ErrNotFound):
		writeProblem(w, http.StatusNotFound, &wire.Problem{Code: wire.CodeNotFound, Message: "Not found."})
	case errors.Is(err, context.Canceled):
		writeProblem(w, 499, &wire.Problem{Code: "Canceled", Message: "The request was cancelled."})
	default:
		a.log.Error("device API request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		writeProblem(w, http.StatusInternalServerError, &wire.Problem{Code: "InternalError", Message: "The service failed; retry."})
	}
}

func problemStatus(code string) int {
	switch code {
	case wire.CodeUnauthorized, wire.CodeSignInFailed:
		return http.StatusUnauthorized
	case wire.CodeUnlicensed, wire.CodeWrongUser:
		return http.StatusForbidden
	case wire.CodeNoUser:
		return http.StatusConflict
	case wire.CodeNotFound:
		return http.StatusNotFound
	case wire.CodeBadRequest:
		return http.StatusBadRequest
	case wire.CodeUntrustedTPM, wire.CodeAttestation, wire.CodeWrongDevice:
		return http.StatusForbidden
	case wire.CodeAlreadyEnrolled, wire.CodeChallengeUsed:
		return http.StatusConflict
	case wire.CodeChallengeExpired:
		return http.StatusGone
	default:
		return http.StatusUnprocessableEntity
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeProblem(w http.ResponseWriter, status int, p *wire.Problem) {
	writeJSON(w, status, struct {
		Error *wire.Problem `json:"error"`
	}{p})
}
