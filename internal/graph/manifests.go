package graph

import (
	"log/slog"
	"net/http"

	"github.com/whiteglove/whiteglove/internal/manifest"
)

// Manifests serves GET /api/autopilot/devices/{ztdId}/manifest: a device's
// desired state (technician and user phases, blocking set) with its version.
type Manifests struct {
	mf  *manifest.Service
	log *slog.Logger
}

// NewManifests returns the manifest endpoint.
func NewManifests(mf *manifest.Service, log *slog.Logger) *Manifests {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Manifests{mf: mf, log: log}
}

// Register adds the route.
func (m *Manifests) Register(rt *Router) {
	rt.HandleVersions(API, "GET", "/autopilot/devices/{id}/manifest", apRead, m.get)
}

func (m *Manifests) get(w http.ResponseWriter, r *http.Request, p Params) {
	man, err := m.mf.Get(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, m.log, err)
		return
	}
	w.Header().Set("ETag", `"`+man.Digest+`"`)
	writeJSON(w, http.StatusOK, man)
}
