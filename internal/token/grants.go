package token

import (
	"errors"
	"net/url"
	"strings"
)

// clientCredentialsGrant handles grant_type=client_credentials.
func (s *Service) clientCredentialsGrant(tr *tokenRequest) (IssueRequest, *oauthError) {
	if oerr := tr.checkResource(); oerr != nil {
		return IssueRequest{}, oerr
	}
	if !tr.v1 {
		if oerr := appScope(tr.form.Get("scope")); oerr != nil {
			return IssueRequest{}, oerr
		}
	}
	id, secrets, oerr := tr.clientCredentials()
	if oerr != nil {
		return IssueRequest{}, oerr
	}
	if len(secrets) == 0 {
		return IssueRequest{}, errNoSecret
	}
	p, oerr := s.authenticateClient(tr, id, secrets)
	if oerr != nil {
		return IssueRequest{}, oerr
	}
	p.Kind, p.TenantID = KindApp, tr.tenantID
	if p.Name == "" {
		p.Name = id
	}
	return IssueRequest{Principal: p, ClientID: id}, nil
}

// passwordGrant handles grant_type=password (ROPC). The client id may be any
// public client; if the client also sends a secret, it is checked first.
func (s *Service) passwordGrant(tr *tokenRequest) (IssueRequest, *oauthError) {
	id, secrets, oerr := tr.clientCredentials()
	if oerr != nil {
		return IssueRequest{}, oerr
	}
	tr.username = truncate(tr.form.Get("username"))
	password := tr.form.Get("password")
	switch {
	case tr.username == "":
		return IssueRequest{}, errMissing("username")
	case password == "":
		return IssueRequest{}, errMissing("password")
	}
	if oerr := tr.checkResource(); oerr != nil {
		return IssueRequest{}, oerr
	}
	scopes, oerr := userScopes(tr.form.Get("scope"), s.scopes)
	if oerr != nil {
		return IssueRequest{}, oerr
	}
	if len(secrets) > 0 {
		if _, oerr := s.authenticateClient(tr, id, secrets); oerr != nil {
			return IssueRequest{}, oerr
		}
	}
	ctx := tr.r.Context()
	p, err := s.authn.AuthenticateUser(ctx, tr.tenantID, tr.form.Get("username"), password)
	switch {
	case errors.Is(err, ErrInvalidGrant):
		return IssueRequest{}, errPassword
	case err != nil:
		s.log.ErrorContext(ctx, "token: authenticate user", "tenant", tr.tenantID, "username", tr.username, "err", err)
		return IssueRequest{}, errUnavailable
	}
	p.Kind, p.TenantID = KindUser, tr.tenantID
	if p.Name == "" {
		p.Name = tr.form.Get("username")
	}
	tr.scope = strings.Join(scopes, " ")
	return IssueRequest{Principal: p, ClientID: id, Scopes: scopes}, nil
}

// checkResource validates the v1 resource parameter (default: Graph). The
// v2 endpoint ignores it.
func (tr *tokenRequest) checkResource() *oauthError {
	if !tr.v1 {
		return nil
	}
	tr.resource = tr.form.Get("resource")
	if tr.resource == "" {
		tr.resource = GraphAudience
	}
	if !isGraphResource(tr.resource) {
		return errResource(truncate(tr.resource))
	}
	return nil
}

// clientCredentials reads the client id and secret from HTTP Basic auth or
// the form (not both). Basic credentials are tried as sent and, if they
// differ, form-url-decoded per RFC 6749 §2.3.1; secrets lists the candidates.
func (tr *tokenRequest) clientCredentials() (id string, secrets []string, oerr *oauthError) {
	formID, formSecret := tr.form.Get("client_id"), tr.form.Get("client_secret")
	bid, bsecret, basic := tr.r.BasicAuth()
	if !basic {
		tr.clientID = truncate(formID)
		if formID == "" {
			return "", nil, errMissing("client_id")
		}
		if !validClientID(formID) {
			return "", nil, errParam("client_id")
		}
		if formSecret != "" {
			secrets = []string{formSecret}
		}
		return formID, secrets, nil
	}
	tr.basic = true
	if uid, err := url.QueryUnescape(bid); err == nil {
		bid = uid // client ids are GUIDs: decoding is harmless
	}
	tr.clientID = truncate(bid)
	switch {
	case formSecret != "":
		return "", nil, errParam("client_secret") // two authentication methods
	case formID != "" && formID != bid:
		return "", nil, errParam("client_id")
	case bid == "":
		return "", nil, errMissing("client_id")
	case !validClientID(bid):
		return "", nil, errParam("client_id")
	}
	if bsecret != "" {
		secrets = []string{bsecret}
		if dec, err := url.QueryUnescape(bsecret); err == nil && dec != bsecret && dec != "" {
			secrets = append(secrets, dec)
		}
	}
	return bid, secrets, nil
}

// authenticateClient tries each candidate secret for client id.
func (s *Service) authenticateClient(tr *tokenRequest, id string, secrets []string) (Principal, *oauthError) {
	ctx := tr.r.Context()
	for _, secret := range secrets {
		p, err := s.authn.AuthenticateClient(ctx, tr.tenantID, id, secret)
		switch {
		case err == nil:
			return p, nil
		case !errors.Is(err, ErrInvalidClient):
			s.log.ErrorContext(ctx, "token: authenticate client", "tenant", tr.tenantID, "client_id", tr.clientID, "err", err)
			return Principal{}, errUnavailable
		}
	}
	return Principal{}, errClientSecret
}

// validClientID accepts up to 128 printable ASCII characters without spaces;
// registered ids are GUIDs, but public clients may send any such string.
func validClientID(id string) bool { return len(id) <= 128 && validScopeToken(id) }
