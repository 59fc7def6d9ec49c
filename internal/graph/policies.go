package graph

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/authz"
)

// Policies serves the policy side of the catalog: Graph's
// deviceManagement/deviceConfigurations (custom OMA-URI settings, the
// sign-in assistant setting among them, and in beta PKCS-style certificate,
// Wi-Fi and VPN profiles) and, beta only, deviceManagementScripts. Each has
// list, get, create, update, delete, assign and assignments.
type Policies struct {
	svc *apps.Service
	log *slog.Logger
}

// NewPolicies returns the policy endpoints over svc. A nil logger discards
// logs.
func NewPolicies(svc *apps.Service, log *slog.Logger) *Policies {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Policies{svc: svc, log: log}
}

const (
	policySet = "deviceManagement/deviceConfigurations"
	scriptSet = "deviceManagement/deviceManagementScripts"
)

var (
	policyRead  = authz.AnyOf(authz.DeviceManagementConfigReadWrite, authz.DeviceManagementServiceConfigRead, authz.DeviceManagementServiceConfigReadWrite)
	policyWrite = authz.AnyOf(authz.DeviceManagementConfigReadWrite)
)

// Register adds the deviceConfigurations and deviceManagementScripts
// routes to rt, each with its policy.
func (h *Policies) Register(rt *Router) {
	const base = "/" + policySet
	rt.Handle("GET", base, policyRead, h.list)
	rt.Handle("POST", base, policyWrite, h.create)
	rt.Handle("GET", base+"/{id}", policyRead, h.get)
	rt.Handle("PATCH", base+"/{id}", policyWrite, h.patch)
	rt.Handle("DELETE", base+"/{id}", policyWrite, h.delete)
	rt.Handle("GET", base+"/{id}/assignments", policyRead, h.listPolicyAssignments)
	rt.Handle("POST", base+"/{id}/assignments", policyWrite, h.addPolicyAssignment)
	rt.Handle("GET", base+"/{id}/assignments/{assignmentId}", policyRead, h.getPolicyAssignment)
	rt.Handle("DELETE", base+"/{id}/assignments/{assignmentId}", policyWrite, h.deletePolicyAssignment)
	for _, ns := range []string{"", "microsoft.graph."} {
		rt.Handle("POST", base+"/{id}/"+ns+"assign", policyWrite, h.assignPolicy)
	}
	h.registerScripts(rt)
}

func (h *Policies) list(w http.ResponseWriter, r *http.Request, _ Params) {
	ps, err := h.svc.Policies(r.Context())
	if err != nil {
		writeServiceError(w, r, h.log, err)
		return
	}
	beta := isBeta(r)
	items := make([]map[string]any, len(ps))
	for i, p := range ps {
		items[i] = policyJSON(p, beta)
	}
	writeCollection(w, r, policySet, policyQuery, items)
}

func (h *Policies) get(w http.ResponseWriter, r *http.Request, p Params) {
	pol, err := h.svc.Policy(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, h.log, err)
		return
	}
	writeSelected(w, r, http.StatusOK, policySet, policyQuery, policyJSON(pol, isBeta(r)))
}

// create needs @odata.type naming one of the types whiteglove serves.
func (h *Policies) create(w http.ResponseWriter, r *http.Request, _ Params) {
	b, typ, err := bodyType(w, r)
	if err != nil {
		return
	}
	t, ok := policyTypeNamed(typ)
	beta := isBeta(r)
	switch {
	case typ == "":
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, `@odata.type is required: send "#microsoft.graph.windows10CustomConfiguration" (or, in beta, windows10PkcsCertificateProfile, windowsWifiConfiguration, windows10VpnConfiguration).`)
		return
	case !ok:
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("@odata.type %q is not supported by whiteglove: deviceConfigurations holds "+
			"#microsoft.graph.windows10CustomConfiguration, and in beta windows10PkcsCertificateProfile, windowsWifiConfiguration and windows10VpnConfiguration.", typ))
		return
	case t.betaOnly && !beta:
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("#microsoft.graph.%s exists in the beta API only: send this request to /beta.", t.odata))
		return
	}
	obj, err := decodeBytes(w, r, b, policySchemas[t.kind][beta])
	if err != nil {
		return
	}
	pol := apps.Policy{Kind: t.kind}
	if err := applyPolicy(obj, &pol); err != nil {
		writeServiceError(w, r, h.log, err)
		return
	}
	if pol, err = h.svc.CreatePolicy(r.Context(), pol); err != nil {
		writeServiceError(w, r, h.log, err)
		return
	}
	writeEntity(w, r, http.StatusCreated, policySet, policyJSON(pol, beta))
}

// patch answers 200 with the updated policy, as Graph documents.
func (h *Policies) patch(w http.ResponseWriter, r *http.Request, p Params) {
	cur, err := h.svc.Policy(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, h.log, err)
		return
	}
	b, typ, err := bodyType(w, r)
	if err != nil {
		return
	}
	t := policyTypeOf(cur.Kind)
	if given, ok := policyTypeNamed(typ); typ != "" && (!ok || given.kind != t.kind) {
		typeMismatch(w, r, typ, t.odata)
		return
	}
	beta := isBeta(r)
	obj, err := decodeBytes(w, r, b, policySchemas[t.kind][beta])
	if err != nil {
		return
	}
	pol, err := h.svc.UpdatePolicy(r.Context(), cur.ID, func(p *apps.Policy) error { return applyPolicy(obj, p) })
	if err != nil {
		writeServiceError(w, r, h.log, err)
		return
	}
	writeEntity(w, r, http.StatusOK, policySet, policyJSON(pol, beta))
}

func (h *Policies) delete(w http.ResponseWriter, r *http.Request, p Params) {
	if err := h.svc.DeletePolicy(r.Context(), p["id"]); err != nil {
		writeServiceError(w, r, h.log, err)
		return
	}
	noContent(w)
}
