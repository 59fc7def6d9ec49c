package graph

import (
	"encoding/json"
	"net/http"
	"strings"
)

// jsonContentType is what Graph sends and the SDKs expect on every body.
const jsonContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", jsonContentType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// baseURL is the absolute URL of this service as the client reached it; the
// SDKs send their token only to the host they were configured with, so links
// must use the request's own Host.
func baseURL(r *http.Request) string {
	if u := publicBase(r); u != nil {
		return strings.TrimRight(u.String(), "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// version returns "v1.0" or "beta" from the request path.
func version(r *http.Request) string {
	p := strings.TrimPrefix(r.URL.Path, "/")
	v, _, _ := strings.Cut(p, "/")
	return strings.ToLower(v)
}

// contextURL builds an @odata.context value such as
// https://host/v1.0/$metadata#users or #users/$entity.
func contextURL(r *http.Request, fragment string) string {
	return baseURL(r) + "/" + version(r) + "/$metadata#" + fragment
}

// writeEntity writes one entity with its @odata.context.
func writeEntity(w http.ResponseWriter, r *http.Request, status int, set string, e map[string]any) {
	e["@odata.context"] = contextURL(r, set+"/$entity")
	writeJSON(w, status, e)
}

// noContent answers 204.
func noContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }
