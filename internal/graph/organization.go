package graph

import (
	"net/http"
	"strings"

	"github.com/whiteglove/whiteglove/internal/directory"
)

func organizationJSON(t directory.Tenant) map[string]any {
	return map[string]any{
		"id":                         t.ID,
		"displayName":                t.DisplayName,
		"tenantType":                 "AAD",
		"createdDateTime":            t.CreatedAt,
		"countryLetterCode":          "US",
		"preferredLanguage":          "en",
		"businessPhones":             []string{},
		"technicalNotificationMails": []string{},
		"verifiedDomains": []map[string]any{{
			"name": t.Domain, "isDefault": true, "isInitial": true, "type": "Managed",
			"capabilities": "Email, OfficeCommunicationsOnline",
		}},
		"assignedPlans": []map[string]any{},
	}
}

func (d *Directory) listOrganization(w http.ResponseWriter, r *http.Request, _ Params) {
	t, err := d.dir.Store().Tenant(r.Context())
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"@odata.context": contextURL(r, "organization"),
		"value":          []map[string]any{organizationJSON(t)},
	})
}

func (d *Directory) getOrganization(w http.ResponseWriter, r *http.Request, p Params) {
	t, err := d.dir.Store().Tenant(r.Context())
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	if !strings.EqualFold(p["id"], t.ID) {
		writeServiceError(w, r, d.log, directory.ErrNotFound)
		return
	}
	writeEntity(w, r, http.StatusOK, "organization", organizationJSON(t))
}

func (d *Directory) listSkus(w http.ResponseWriter, r *http.Request, _ Params) {
	ctx := r.Context()
	t, err := d.dir.Store().Tenant(ctx)
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	used, err := d.dir.Store().LicensedUsers(ctx)
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"@odata.context": contextURL(r, "subscribedSkus"),
		"value": []map[string]any{{
			"id":               t.ID + "_" + t.SkuID,
			"skuId":            t.SkuID,
			"skuPartNumber":    t.SkuPartNumber,
			"capabilityStatus": "Enabled",
			"appliesTo":        "User",
			"consumedUnits":    used,
			"prepaidUnits":     map[string]any{"enabled": t.Seats, "suspended": 0, "warning": 0, "lockedOut": 0},
			"servicePlans":     []map[string]any{},
		}},
	})
}
