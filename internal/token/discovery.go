package token

import "net/http"

// discoveryDoc is the OpenID Provider metadata, laid out like Entra's v2.0
// document. authorization_endpoint is listed because MSAL requires the
// field, but this service implements only the token endpoint.
type discoveryDoc struct {
	TokenEndpoint            string   `json:"token_endpoint"`
	TokenEndpointAuthMethods []string `json:"token_endpoint_auth_methods_supported"`
	JWKSURI                  string   `json:"jwks_uri"`
	ResponseModes            []string `json:"response_modes_supported"`
	SubjectTypes             []string `json:"subject_types_supported"`
	IDTokenSigningAlgs       []string `json:"id_token_signing_alg_values_supported"`
	ResponseTypes            []string `json:"response_types_supported"`
	Scopes                   []string `json:"scopes_supported"`
	Issuer                   string   `json:"issuer"`
	RequestURIParameter      bool     `json:"request_uri_parameter_supported"`
	AuthorizationEndpoint    string   `json:"authorization_endpoint"`
	GrantTypes               []string `json:"grant_types_supported"`
	Claims                   []string `json:"claims_supported"`
}

// discoveryCacheControl matches Entra's caching of its metadata.
const discoveryCacheControl = "max-age=86400, private"

// serveDiscovery answers /{tenant}/v2.0/.well-known/openid-configuration.
// URLs use the resolved tenant id, so "common" yields the concrete tenant.
func (s *Service) serveDiscovery(w http.ResponseWriter, r *http.Request, tenant string) {
	tid, oerr := s.resolveTenant(r.Context(), tenant)
	if oerr != nil {
		e := *oerr // never mutate the shared error values
		if e.code == "invalid_request" {
			e.code = "invalid_tenant" // Entra's error for metadata of an unknown tenant
		}
		s.writeError(w, r, &e)
		return
	}
	base := s.baseURL(r)
	if base == "" {
		s.writeError(w, r, errParam("Host"))
		return
	}
	t := base + "/" + tid
	writeJSON(w, http.StatusOK, discoveryCacheControl, discoveryDoc{
		TokenEndpoint:            t + "/oauth2/v2.0/token",
		TokenEndpointAuthMethods: []string{"client_secret_post", "client_secret_basic"},
		JWKSURI:                  t + "/discovery/v2.0/keys",
		ResponseModes:            []string{"query", "fragment", "form_post"},
		SubjectTypes:             []string{"pairwise"},
		IDTokenSigningAlgs:       []string{"ES256"},
		ResponseTypes:            []string{"token"}, // only the token endpoint is offered
		Scopes:                   []string{"openid", "profile", "email", "offline_access"},
		Issuer:                   issuerFor(base, tid),
		AuthorizationEndpoint:    t + "/oauth2/v2.0/authorize",
		GrantTypes:               []string{"client_credentials", "password"},
		Claims: []string{"iss", "aud", "iat", "nbf", "exp", "jti", "sub", "oid", "tid",
			"ver", "idtyp", "roles", "scp", "upn", "name", "appid", "azp"},
	})
}
