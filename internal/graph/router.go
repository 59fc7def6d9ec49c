// Package graph is whiteglove's Microsoft-Graph-compatible HTTP layer: a
// case-insensitive router where every route declares who may call it, Graph
// error shapes, OData query options, paging and lenient request bodies, and
// the directory endpoints built on them.
package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/whiteglove/whiteglove/internal/authz"
	"github.com/whiteglove/whiteglove/internal/token"
)

// Params are the values of a route's {placeholders}, by name.
type Params map[string]string

// HandlerFunc serves one matched route.
type HandlerFunc func(w http.ResponseWriter, r *http.Request, p Params)

// Verifier checks bearer tokens.
type Verifier interface {
	Verify(ctx context.Context, raw string) (token.Principal, token.Claims, error)
}

// Route describes one registered route.
type Route struct {
	Method   string
	Pattern  string // e.g. "/users/{id}"; matched after /v1.0 or /beta
	Policy   authz.Policy
	Versions []string // "v1.0", "beta"
	handler  HandlerFunc
	segs     []string
}

// Router dispatches /v1.0/… and /beta/… requests. Literal path segments and
// action names match case-insensitively.
type Router struct {
	routes   []*Route
	verifier Verifier
	log      *slog.Logger
	observe  func(r *http.Request, pattern string, status int, elapsed time.Duration)
	current  func(ctx context.Context, p token.Principal) (token.Principal, error)
	public   *url.URL
}

// SetPublicURL makes links (@odata.nextLink, @odata.context) use u, the
// service's address as clients see it behind a proxy, instead of each
// request's own scheme and Host.
func (rt *Router) SetPublicURL(u *url.URL) { rt.public = u }

// CheckPrincipal sets a function that re-reads the principal of every
// verified token (account still enabled, current roles), so revocation
// takes effect at once. It returns token.ErrInvalid for a principal that no
// longer exists or is disabled.
func (rt *Router) CheckPrincipal(fn func(ctx context.Context, p token.Principal) (token.Principal, error)) {
	rt.current = fn
}

// Versions served. API is whiteglove's own API (/api/…) for what Graph has
// no shape for, such as streaming CSV imports; it shares auth and errors.
var (
	Both     = []string{"v1.0", "beta"}
	BetaOnly = []string{"beta"}
	API      = []string{"api"}
)

// NewRouter returns an empty router that checks tokens with v.
func NewRouter(v Verifier, log *slog.Logger) *Router {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Router{verifier: v, log: log}
}

// Observe sets a hook called after each request with the matched pattern
// ("" when none matched) and the status written; used for metrics.
func (rt *Router) Observe(fn func(r *http.Request, pattern string, status int, elapsed time.Duration)) {
	rt.observe = fn
}

// Handle registers a route for both versions. A route must name its policy:
// the zero Policy admits nobody.
func (rt *Router) Handle(method, pattern string, pol authz.Policy, h HandlerFunc) {
	rt.HandleVersions(Both, method, pattern, pol, h)
}

// HandleVersions registers a route for the given versions only.
func (rt *Router) HandleVersions(versions []string, method, pattern string, pol authz.Policy, h HandlerFunc) {
	segs := strings.Split(strings.Trim(pattern, "/"), "/")
	for _, r := range rt.routes {
		if r.Method == method && samePattern(r.segs, segs) && overlaps(r.Versions, versions) {
			panic(fmt.Sprintf("graph: route %s %s registered twice", method, pattern))
		}
	}
	rt.routes = append(rt.routes, &Route{Method: method, Pattern: pattern, Policy: pol, Versions: versions, handler: h, segs: segs})
}

// Routes returns every registered route (for the authorization walk test).
func (rt *Router) Routes() []Route {
	out := make([]Route, len(rt.routes))
	for i, r := range rt.routes {
		out[i] = *r
	}
	return out
}

func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rid := uuid.NewString()
	ctx := withRequestID(r.Context(), rid)
	if rt.public != nil {
		ctx = context.WithValue(ctx, keyPublicURL, rt.public)
	}
	r = r.WithContext(ctx)
	sw := &statusWriter{ResponseWriter: w}
	w = sw
	w.Header().Set("request-id", rid)
	if c := r.Header.Get("client-request-id"); c != "" {
		w.Header().Set("client-request-id", c)
	}
	pattern := ""
	defer func() {
		if rec := recover(); rec != nil {
			rt.log.Error("panic serving request", "path", r.URL.Path, "panic", rec, "request_id", rid)
			if sw.status == 0 {
				WriteError(w, r, http.StatusInternalServerError, CodeInternal, "An internal error occurred; quote the request-id when reporting it.")
			}
		}
		elapsed := time.Since(start)
		rt.log.Info("request", "method", r.Method, "route", pattern, "status", sw.code(), "ms", elapsed.Milliseconds(), "request_id", rid)
		if rt.observe != nil {
			rt.observe(r, pattern, sw.code(), elapsed)
		}
	}()

	version, segs, err := splitPath(r.URL.EscapedPath())
	if err != nil {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, err.Error())
		return
	}
	route, params, methodMismatch := rt.match(version, r.Method, segs)
	if route == nil {
		if methodMismatch {
			WriteError(w, r, http.StatusMethodNotAllowed, CodeMethodNotAllowed, fmt.Sprintf("The HTTP method '%s' is not allowed for this resource.", r.Method))
			return
		}
		last := ""
		if len(segs) > 0 {
			last = segs[len(segs)-1]
		}
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("Resource not found for the segment '%s'.", last))
		return
	}
	pattern = "/" + version + route.Pattern
	if !rt.authorize(w, r, route, &r) {
		return
	}
	route.handler(w, r, params)
}

// authorize enforces the route's policy; it writes the refusal itself.
func (rt *Router) authorize(w http.ResponseWriter, r *http.Request, route *Route, out **http.Request) bool {
	raw, ok := token.FromRequest(r)
	if !ok {
		if route.Policy.IsPublic() {
			return true
		}
		WriteError(w, r, http.StatusUnauthorized, CodeUnauthenticated, "Access token is empty.")
		return false
	}
	p, _, err := rt.verifier.Verify(r.Context(), raw)
	if err != nil {
		if route.Policy.IsPublic() {
			return true
		}
		if !errors.Is(err, token.ErrExpired) && !errors.Is(err, token.ErrInvalid) {
			// The token could not be checked (key store unreachable): not the caller's fault.
			rt.log.Error("verifying token", "err", err, "request_id", RequestID(r.Context()))
			w.Header().Set("Retry-After", "5")
			WriteError(w, r, http.StatusServiceUnavailable, "ServiceUnavailable", "The token could not be verified right now; retry shortly.")
			return false
		}
		msg := "Access token validation failure. Invalid signature or malformed token."
		if errors.Is(err, token.ErrExpired) {
			msg = "Lifetime validation failed, the token is expired."
		}
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		WriteError(w, r, http.StatusUnauthorized, CodeUnauthenticated, msg)
		return false
	}
	if rt.current != nil {
		cur, err := rt.current(r.Context(), p)
		switch {
		case errors.Is(err, token.ErrInvalid):
			WriteError(w, r, http.StatusUnauthorized, CodeUnauthenticated, "The account this token was issued to is disabled or no longer exists.")
			return false
		case err != nil:
			rt.log.Error("checking token principal", "err", err, "request_id", RequestID(r.Context()))
			WriteError(w, r, http.StatusServiceUnavailable, "ServiceUnavailable", "The token could not be checked right now; retry shortly.")
			return false
		}
		p = cur
	}
	if !route.Policy.Allows(p.Roles) {
		WriteError(w, r, http.StatusForbidden, CodeForbidden, "Insufficient privileges to complete the operation.")
		return false
	}
	*out = r.WithContext(withPrincipal(r.Context(), p))
	return true
}

func (rt *Router) match(version, method string, segs []string) (*Route, Params, bool) {
	methodMismatch := false
	var best *Route
	var bestParams Params
	bestLiterals := -1
	for _, route := range rt.routes {
		params, ok := matchSegs(route.segs, segs)
		if !ok || !contains(route.Versions, version) {
			continue
		}
		if route.Method != method {
			methodMismatch = true
			continue
		}
		// The most specific route wins: /groups/{id}/members/$ref over
		// /groups/{id}/members/{memberId}.
		if n := len(route.segs) - len(params); n > bestLiterals {
			best, bestParams, bestLiterals = route, params, n
		}
	}
	if best != nil {
		return best, bestParams, false
	}
	return nil, nil, methodMismatch
}

func matchSegs(pattern, segs []string) (Params, bool) {
	if len(pattern) != len(segs) {
		return nil, false
	}
	var p Params
	for i, ps := range pattern {
		if strings.HasPrefix(ps, "{") && strings.HasSuffix(ps, "}") {
			if segs[i] == "" {
				return nil, false
			}
			if p == nil {
				p = Params{}
			}
			p[ps[1:len(ps)-1]] = segs[i]
			continue
		}
		if !strings.EqualFold(ps, segs[i]) {
			return nil, false
		}
	}
	return p, true
}

// splitPath returns the version ("v1.0" or "beta") and decoded segments.
func splitPath(escaped string) (string, []string, error) {
	parts := strings.Split(strings.Trim(escaped, "/"), "/")
	if len(parts) == 0 {
		return "", nil, errors.New("no API version in the path: use /v1.0/ or /beta/")
	}
	version := strings.ToLower(parts[0])
	if version != "v1.0" && version != "beta" && version != "api" {
		return "", nil, fmt.Errorf("unknown API version %q: use /v1.0/ or /beta/", parts[0])
	}
	segs := make([]string, 0, len(parts)-1)
	for _, p := range parts[1:] {
		s, err := url.PathUnescape(p)
		if err != nil {
			return "", nil, fmt.Errorf("malformed path segment %q", p)
		}
		segs = append(segs, s)
	}
	return version, segs, nil
}

func samePattern(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		pa, pb := strings.HasPrefix(a[i], "{"), strings.HasPrefix(b[i], "{")
		if pa != pb || (!pa && !strings.EqualFold(a[i], b[i])) {
			return false
		}
	}
	return true
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		if contains(b, x) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (full duplex,
// flushing) through this wrapper.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Flush sends buffered data to the client.
func (s *statusWriter) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (s *statusWriter) code() int {
	if s.status == 0 {
		return http.StatusOK
	}
	return s.status
}
