package token

import (
	"context"
	"errors"
	"net/http"
	"strings"
)

// Handler serves the token service under these paths, where {tenant} is a
// tenant id, a verified domain, "organizations" or "common", and the whole
// path is matched case-insensitively:
//
//	POST /{tenant}/oauth2/v2.0/token                  token endpoint (v2, scope=)
//	POST /{tenant}/oauth2/token                       token endpoint (v1, resource=)
//	GET  /{tenant}/v2.0/.well-known/openid-configuration
//	GET  /{tenant}/discovery/v2.0/keys                JWKS (also /{tenant}/discovery/keys)
//
// Any other path is 404. The handler can be mounted at "/" or behind
// http.StripPrefix; with a prefix, set Config.Issuer to the prefixed URL.
func (s *Service) Handler() http.Handler {
	return http.HandlerFunc(s.route)
}

func (s *Service) route(w http.ResponseWriter, r *http.Request) {
	tenant, rest, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	tenant = strings.ToLower(tenant)
	switch strings.ToLower(rest) {
	case "oauth2/v2.0/token":
		if s.allow(w, r, http.MethodPost) {
			s.serveToken(w, r, tenant, false)
		}
	case "oauth2/token":
		if s.allow(w, r, http.MethodPost) {
			s.serveToken(w, r, tenant, true)
		}
	case "v2.0/.well-known/openid-configuration":
		if s.allow(w, r, http.MethodGet) {
			s.serveDiscovery(w, r, tenant)
		}
	case "oauth2/v2.0/authorize", "oauth2/authorize":
		// Listed in discovery because MSAL requires the key; interactive
		// sign-in is not offered, and this says so instead of a bare 404.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte("whiteglove does not offer interactive sign-in: use the password grant (people) or the client_credentials grant (apps) at oauth2/v2.0/token.\n"))
	case "discovery/v2.0/keys", "discovery/keys":
		if s.allow(w, r, http.MethodGet) {
			s.serveJWKS(w, r, tenant)
		}
	default:
		http.NotFound(w, r)
	}
}

// allow answers 405 unless r uses method (GET also admits HEAD).
func (s *Service) allow(w http.ResponseWriter, r *http.Request, method string) bool {
	if r.Method == method || (method == http.MethodGet && r.Method == http.MethodHead) {
		return true
	}
	allowed := method
	if method == http.MethodGet {
		allowed = "GET, HEAD"
	}
	w.Header().Set("Allow", allowed)
	s.writeError(w, r, errMethod(r.Method, allowed))
	return false
}

// resolveTenant maps a lower-cased tenant path segment to a tenant id.
func (s *Service) resolveTenant(ctx context.Context, name string) (string, *oauthError) {
	if !validTenantID(name) {
		return "", errTenantSyntax(name)
	}
	tid, err := s.tenants.ResolveTenant(ctx, name)
	switch {
	case errors.Is(err, ErrUnknownTenant):
		return "", errTenant(name)
	case err != nil:
		s.log.ErrorContext(ctx, "token: resolve tenant", "tenant", name, "err", err)
		return "", errUnavailable
	case !validTenantID(tid):
		s.log.ErrorContext(ctx, "token: resolver returned a malformed tenant id", "tenant", name)
		return "", errUnavailable
	}
	return tid, nil
}

// baseURL is the issuer base for r: Config.Issuer when set, otherwise the
// request's scheme and host (X-Forwarded-* only with TrustForwardedHeaders).
// It returns "" when the host is unusable.
func (s *Service) baseURL(r *http.Request) string {
	if s.issuer != "" {
		return s.issuer
	}
	scheme, host := "http", r.Host
	if r.TLS != nil {
		scheme = "https"
	}
	if s.proxied {
		if p := firstValue(r.Header.Get("X-Forwarded-Proto")); p == "http" || p == "https" {
			scheme = p
		}
		if h := firstValue(r.Header.Get("X-Forwarded-Host")); h != "" {
			host = h
		}
	}
	host = strings.ToLower(host)
	if !validHost(host) {
		return ""
	}
	return scheme + "://" + host
}

// firstValue returns the first element of a comma-separated header, trimmed.
func firstValue(v string) string {
	v, _, _ = strings.Cut(v, ",")
	return strings.ToLower(strings.TrimSpace(v))
}

// validHost accepts host[:port] made of DNS, IPv4 and bracketed IPv6 characters.
func validHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	for i := 0; i < len(h); i++ {
		b := h[i]
		if !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || strings.IndexByte(".-:[]", b) >= 0) {
			return false
		}
	}
	return true
}
