package token

import "strings"

// oidcScopes are OpenID Connect scopes; they may appear in a request without
// a resource prefix. openid, profile and email are kept in scp, as Entra
// does; offline_access is dropped because no refresh token is issued.
var oidcScopes = map[string]bool{"openid": true, "profile": true, "email": true, "offline_access": true}

// isGraphResource reports whether res names Microsoft Graph, by URL or app id.
func isGraphResource(res string) bool {
	r := strings.ToLower(strings.TrimRight(res, "/"))
	return r == GraphAudience || r == GraphAppID
}

// splitScope splits "https://graph.microsoft.com/User.Read" into resource and
// permission; a bare "User.Read" has no resource.
func splitScope(sc string) (res, perm string) {
	if i := strings.LastIndexByte(sc, '/'); i >= 0 {
		return sc[:i], sc[i+1:]
	}
	return "", sc
}

// validScopeToken checks RFC 6749 §3.3 scope-token characters.
func validScopeToken(sc string) bool {
	if sc == "" || len(sc) > 512 {
		return false
	}
	for i := 0; i < len(sc); i++ {
		if b := sc[i]; b < 0x21 || b == '"' || b == '\\' || b > 0x7e {
			return false
		}
	}
	return true
}

// appScope checks the scope of a client-credentials request: one or more
// "{graph}/.default" values and nothing else.
func appScope(scope string) *oauthError {
	items := strings.Fields(scope)
	if len(items) == 0 {
		return errMissing("scope")
	}
	for _, sc := range items {
		if !validScopeToken(sc) {
			return errScope(70011, "The provided value for the input parameter 'scope' is not valid.")
		}
		res, perm := splitScope(sc)
		if res != "" && !isGraphResource(res) {
			return errResource(res)
		}
		if res == "" || perm != ".default" {
			return errScope(1002012, "The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", sc)
		}
	}
	return nil
}

// userScopes turns the scope of a password request into scp values. Graph
// scopes lose their resource prefix, ".default" expands to defaults, and a
// request naming no Graph permission gets defaults too.
func userScopes(scope string, defaults []string) ([]string, *oauthError) {
	var out []string
	seen := map[string]bool{}
	add := func(sc string) {
		if k := strings.ToLower(sc); !seen[k] {
			seen[k] = true
			out = append(out, sc)
		}
	}
	graph := false
	for _, sc := range strings.Fields(scope) {
		if !validScopeToken(sc) {
			return nil, errScope(70011, "The provided value for the input parameter 'scope' is not valid.")
		}
		res, perm := splitScope(sc)
		switch {
		case res == "" && oidcScopes[strings.ToLower(perm)]:
			if !strings.EqualFold(perm, "offline_access") {
				add(strings.ToLower(perm))
			}
			continue
		case res != "" && !isGraphResource(res):
			return nil, errResource(res)
		case perm == "":
			return nil, errScope(70011, "The provided value for the input parameter 'scope' is not valid. The scope %s is not valid.", sc)
		}
		graph = true
		if perm == ".default" {
			for _, d := range defaults {
				add(d)
			}
			continue
		}
		add(perm)
	}
	if !graph {
		for _, d := range defaults {
			add(d)
		}
	}
	return out, nil
}
