package token

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"
)

// Sentinel errors. Authenticator and TenantResolver implementations return
// the first three (possibly wrapped); Verify wraps the last two.
var (
	// ErrInvalidClient means an unknown client id or a wrong client secret.
	ErrInvalidClient = errors.New("token: invalid client")
	// ErrInvalidGrant means an unknown user, a wrong password or a disabled account.
	ErrInvalidGrant = errors.New("token: invalid grant")
	// ErrUnknownTenant means the tenant segment names no tenant.
	ErrUnknownTenant = errors.New("token: unknown tenant")
	// ErrExpired means a correctly signed token whose exp has passed.
	ErrExpired = errors.New("token: expired")
	// ErrInvalid means a token that is malformed, badly signed or not meant for us.
	ErrInvalid = errors.New("token: invalid")
)

// oauthError is an OAuth 2.0 error as Entra ID renders it.
type oauthError struct {
	status int    // HTTP status
	code   string // OAuth error code, e.g. "invalid_client"
	aadsts int    // Entra error number, e.g. 7000215
	desc   string // text after "AADSTSnnn: "
}

func (e *oauthError) Error() string { return fmt.Sprintf("%s: AADSTS%d: %s", e.code, e.aadsts, e.desc) }

func errRequest(aadsts int, format string, a ...any) *oauthError {
	return &oauthError{http.StatusBadRequest, "invalid_request", aadsts, fmt.Sprintf(format, a...)}
}

func errMissing(param string) *oauthError {
	return errRequest(900144, "The request body must contain the following parameter: '%s'.", param)
}

func errBadClient(aadsts int, desc string) *oauthError {
	return &oauthError{http.StatusUnauthorized, "invalid_client", aadsts, desc}
}

var (
	errClientSecret = errBadClient(7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to the app.")
	errNoSecret     = errBadClient(7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
	errPassword     = &oauthError{http.StatusBadRequest, "invalid_grant", 50126, "Error validating credentials due to invalid username or password."}
	errUnavailable  = &oauthError{http.StatusServiceUnavailable, "temporarily_unavailable", 90033, "A transient error has occurred. Please try again."}
	errBody         = errParam("request body")
)

// errParam is Entra's catch-all for a parameter that is present but unusable.
func errParam(name string) *oauthError {
	return errRequest(90100, "%s parameter is empty or not valid.", name)
}

func errGrantType(gt string) *oauthError {
	return &oauthError{http.StatusBadRequest, "unsupported_grant_type", 70003, fmt.Sprintf("The app requested an unsupported grant type '%s'.", gt)}
}

func errScope(aadsts int, format string, a ...any) *oauthError {
	return &oauthError{http.StatusBadRequest, "invalid_scope", aadsts, fmt.Sprintf(format, a...)}
}

func errResource(res string) *oauthError {
	return &oauthError{http.StatusBadRequest, "invalid_resource", 500011, fmt.Sprintf("The resource principal named %s was not found in the tenant.", res)}
}

func errTenant(name string) *oauthError {
	return errRequest(90002, "Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", name)
}

func errTenantSyntax(name string) *oauthError {
	return errRequest(900023, "Specified tenant identifier '%s' is neither a valid DNS name, nor a valid external domain.", name)
}

func errMethod(method, allow string) *oauthError {
	return &oauthError{http.StatusMethodNotAllowed, "invalid_request", 900561, fmt.Sprintf("The endpoint only accepts %s requests. Received a %s request.", allow, method)}
}

// errorBody is the JSON body of an OAuth error response.
type errorBody struct {
	Error         string `json:"error"`
	Description   string `json:"error_description"`
	Codes         []int  `json:"error_codes"`
	Timestamp     string `json:"timestamp"`
	TraceID       string `json:"trace_id"`
	CorrelationID string `json:"correlation_id"`
}

// entraTime formats t the way Entra stamps its errors.
func entraTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") }

// traceIDs returns a fresh trace id and the correlation id: the caller's
// client-request-id when it is a UUID (as MSAL sends), otherwise a new one.
func traceIDs(r *http.Request) (trace, corr string) {
	trace = uuid.NewString()
	if id, err := uuid.Parse(r.Header.Get("client-request-id")); err == nil {
		return trace, id.String()
	}
	return trace, uuid.NewString()
}

// setTraceHeaders stamps x-ms-request-id and client-request-id on w.
func setTraceHeaders(w http.ResponseWriter, r *http.Request) (trace, corr string) {
	trace, corr = traceIDs(r)
	w.Header().Set("x-ms-request-id", trace)
	w.Header().Set("client-request-id", corr)
	return trace, corr
}

// writeError renders e as Entra would, with no-store caching.
func (s *Service) writeError(w http.ResponseWriter, r *http.Request, e *oauthError) {
	trace, corr := setTraceHeaders(w, r)
	ts := entraTime(s.now())
	body := errorBody{
		Error: e.code,
		Description: fmt.Sprintf("AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s",
			e.aadsts, e.desc, trace, corr, ts),
		Codes:         []int{e.aadsts},
		Timestamp:     ts,
		TraceID:       trace,
		CorrelationID: corr,
	}
	writeJSON(w, e.status, noStore, body)
}

// noStore is the Cache-Control of token and error responses.
const noStore = "no-store"

// writeJSON writes v as JSON with the given Cache-Control.
func writeJSON(w http.ResponseWriter, status int, cacheControl string, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", cacheControl)
	if cacheControl == noStore {
		h.Set("Pragma", "no-cache")
	}
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
