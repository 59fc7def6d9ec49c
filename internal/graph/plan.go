package graph

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/whiteglove/whiteglove/internal/planner"
)

// Plans serves GET /api/autopilot/plan?device=SERIAL|ZTDID[&user=UPN]: what
// the device gets in each phase and why, with warnings (the shape of
// `whiteglove plan --json`).
type Plans struct {
	p   *planner.Planner
	log *slog.Logger
}

// NewPlans returns the plan endpoint over p.
func NewPlans(p *planner.Planner, log *slog.Logger) *Plans {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Plans{p: p, log: log}
}

// Register adds the plan route.
func (pl *Plans) Register(rt *Router) {
	rt.HandleVersions(API, "GET", "/autopilot/plan", apRead, pl.plan)
}

func (pl *Plans) plan(w http.ResponseWriter, r *http.Request, _ Params) {
	q := r.URL.Query()
	for k := range q {
		if k != "device" && k != "user" {
			WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "Unknown parameter "+k+"; use device= (serial number or ZTDId) and optionally user= (UPN).")
			return
		}
	}
	device := strings.TrimSpace(q.Get("device"))
	if device == "" {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "device= (serial number or ZTDId) is required.")
		return
	}
	rep, err := pl.p.Plan(r.Context(), device, strings.TrimSpace(q.Get("user")))
	if err != nil {
		writeServiceError(w, r, pl.log, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}
