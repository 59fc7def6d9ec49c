package token

import (
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
)

// maxFormBytes caps the token request body.
const maxFormBytes = 64 << 10

// tokenResponse is the v2.0 success body.
type tokenResponse struct {
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope,omitempty"`
	ExpiresIn    int    `json:"expires_in"`
	ExtExpiresIn int    `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
}

// tokenResponseV1 is the v1 success body; Entra sends its numbers as strings.
type tokenResponseV1 struct {
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope,omitempty"`
	ExpiresIn    string `json:"expires_in"`
	ExtExpiresIn string `json:"ext_expires_in"`
	ExpiresOn    string `json:"expires_on"`
	NotBefore    string `json:"not_before"`
	Resource     string `json:"resource"`
	AccessToken  string `json:"access_token"`
}

// tokenRequest is a parsed token request on its way through a grant.
type tokenRequest struct {
	r        *http.Request
	form     url.Values
	tenantID string
	v1       bool
	// Filled in by the grant, for logging and the response.
	clientID string
	username string
	basic    bool   // client authenticated with HTTP Basic
	resource string // v1 resource, echoed back
	scope    string // response scope (password grant)
}

// serveToken answers POST /{tenant}/oauth2/v2.0/token and /oauth2/token.
func (s *Service) serveToken(w http.ResponseWriter, r *http.Request, tenant string, v1 bool) {
	ctx := r.Context()
	tr := &tokenRequest{r: r, v1: v1}
	grant := ""
	fail := func(e *oauthError) {
		s.log.LogAttrs(ctx, slog.LevelInfo, "token: request rejected",
			slog.String("tenant", tenant), slog.String("grant_type", grant),
			slog.String("client_id", tr.clientID), slog.String("username", tr.username),
			slog.String("error", e.code), slog.Int("aadsts", e.aadsts))
		if e.status == http.StatusUnauthorized && tr.basic {
			w.Header().Set("WWW-Authenticate", `Basic realm="`+tenant+`"`)
		}
		s.writeError(w, r, e)
	}
	var oerr *oauthError
	if tr.tenantID, oerr = s.resolveTenant(ctx, tenant); oerr != nil {
		fail(oerr)
		return
	}
	base := s.baseURL(r)
	if base == "" {
		fail(errParam("Host"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		fail(errBody)
		return
	}
	// Only the body counts: secrets must not travel in the query string.
	tr.form = r.PostForm
	for k, v := range tr.form {
		if len(v) > 1 { // RFC 6749 §3.2: parameters must not repeat
			fail(errParam(truncate(k)))
			return
		}
	}
	grant = truncate(tr.form.Get("grant_type"))
	var req IssueRequest
	switch grant {
	case "":
		oerr = errMissing("grant_type")
	case "client_credentials":
		req, oerr = s.clientCredentialsGrant(tr)
	case "password":
		req, oerr = s.passwordGrant(tr)
	default:
		oerr = errGrantType(grant)
	}
	if oerr != nil {
		fail(oerr)
		return
	}
	tok, err := s.issue(ctx, base, req)
	if err != nil {
		s.log.ErrorContext(ctx, "token: issue", "tenant", tr.tenantID, "client_id", tr.clientID, "err", err)
		fail(errUnavailable)
		return
	}
	s.log.LogAttrs(ctx, slog.LevelInfo, "token: issued",
		slog.String("tenant", tr.tenantID), slog.String("grant_type", grant),
		slog.String("client_id", tr.clientID), slog.String("kind", string(req.Principal.Kind)),
		slog.String("oid", req.Principal.ObjectID), slog.String("upn", tr.username),
		slog.String("jti", tok.TokenID), slog.Time("exp", tok.ExpiresAt))
	setTraceHeaders(w, r)
	if v1 {
		in := strconv.Itoa(s.expiresIn())
		writeJSON(w, http.StatusOK, noStore, tokenResponseV1{
			TokenType: "Bearer", Scope: tr.scope, ExpiresIn: in, ExtExpiresIn: in,
			ExpiresOn: strconv.FormatInt(tok.ExpiresAt.Unix(), 10),
			NotBefore: strconv.FormatInt(tok.IssuedAt.Unix(), 10),
			Resource:  tr.resource, AccessToken: tok.AccessToken,
		})
		return
	}
	writeJSON(w, http.StatusOK, noStore, tokenResponse{
		TokenType: "Bearer", Scope: tr.scope, ExpiresIn: s.expiresIn(),
		ExtExpiresIn: s.expiresIn(), AccessToken: tok.AccessToken,
	})
}

// truncate keeps client-supplied strings short in errors and logs.
func truncate(v string) string {
	const max = 128
	if len(v) > max {
		return v[:max]
	}
	return v
}
