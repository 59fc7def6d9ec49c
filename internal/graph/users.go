package graph

import (
	"errors"
	"net/http"
	"strings"

	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/graph/ljson"
	"github.com/whiteglove/whiteglove/internal/graph/odata"
)

func str(n int) ljson.Prop { return ljson.Prop{Kind: ljson.String, MaxLen: n, Nullable: true} }

var readOnly = ljson.Prop{ReadOnly: true}

var passwordProfileSchema = &ljson.Schema{Name: "passwordProfile", Props: map[string]ljson.Prop{
	"password":                             {Kind: ljson.String, MaxLen: 256},
	"forceChangePasswordNextSignIn":        {Kind: ljson.Bool},
	"forceChangePasswordNextSignInWithMfa": {Kind: ljson.Bool},
}}

var userSchema = &ljson.Schema{Name: "user", Props: map[string]ljson.Prop{
	"accountEnabled":    {Kind: ljson.Bool},
	"displayName":       str(256),
	"givenName":         str(64),
	"surname":           str(64),
	"mail":              str(256),
	"mailNickname":      str(64),
	"userPrincipalName": str(113),
	"department":        str(64),
	"jobTitle":          str(128),
	"usageLocation":     str(2),
	"passwordProfile":   {Kind: ljson.Complex, Schema: passwordProfileSchema},
	"id":                readOnly, "createdDateTime": readOnly, "assignedLicenses": readOnly, "businessPhones": readOnly,
}}

var userQuery = odata.Schema{
	"id": odata.Guid, "userPrincipalName": odata.String, "displayName": odata.String, "givenName": odata.String,
	"surname": odata.String, "mail": odata.String, "mailNickname": odata.String, "department": odata.String,
	"jobTitle": odata.String, "usageLocation": odata.String, "accountEnabled": odata.Bool, "createdDateTime": odata.DateTime,
}

func userJSON(u directory.User, t directory.Tenant) map[string]any {
	lic := []map[string]any{}
	if u.Licensed {
		lic = append(lic, map[string]any{"skuId": t.SkuID, "disabledPlans": []string{}})
	}
	return map[string]any{
		"@odata.type":       "#microsoft.graph.user",
		"id":                u.ID,
		"userPrincipalName": u.UPN,
		"displayName":       u.DisplayName,
		"givenName":         nullable(u.GivenName),
		"surname":           nullable(u.Surname),
		"mail":              nullable(u.Mail),
		"mailNickname":      u.MailNickname,
		"department":        nullable(u.Department),
		"jobTitle":          nullable(u.JobTitle),
		"usageLocation":     nullable(u.UsageLocation),
		"accountEnabled":    u.AccountEnabled,
		"businessPhones":    []string{},
		"assignedLicenses":  lic,
		"createdDateTime":   u.CreatedAt,
	}
}

// nullable turns "" into JSON null, as Graph returns unset strings.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (d *Directory) findUser(r *http.Request, idOrUPN string) (directory.User, error) {
	if strings.Contains(idOrUPN, "@") {
		return d.dir.Store().UserByUPN(r.Context(), idOrUPN)
	}
	return d.dir.Store().User(r.Context(), idOrUPN)
}

func (d *Directory) listUsers(w http.ResponseWriter, r *http.Request, _ Params) {
	ctx := r.Context()
	t, err := d.dir.Store().Tenant(ctx)
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	users, err := d.dir.Store().Users(ctx)
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	items := make([]map[string]any, len(users))
	for i, u := range users {
		items[i] = userJSON(u, t)
	}
	writeCollection(w, r, "users", userQuery, items, d.memberOfExpander())
}

func (d *Directory) getUser(w http.ResponseWriter, r *http.Request, p Params) {
	ctx := r.Context()
	u, err := d.findUser(r, p["id"])
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	t, err := d.dir.Store().Tenant(ctx)
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	writeSelected(w, r, http.StatusOK, "users", userQuery, userJSON(u, t), d.memberOfExpander())
}

func (d *Directory) createUser(w http.ResponseWriter, r *http.Request, _ Params) {
	obj, err := decode(w, r, userSchema)
	if err != nil || !checkType(w, r, obj, "microsoft.graph.user") {
		return
	}
	var missing []string
	for _, k := range []string{"accountEnabled", "displayName", "mailNickname", "userPrincipalName", "passwordProfile"} {
		if !obj.Has(k) || obj.IsNull(k) {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		WriteError(w, r, http.StatusBadRequest, CodeRequestBad, "Missing required properties: "+strings.Join(missing, ", ")+".")
		return
	}
	var nu directory.NewUser
	applyUser(obj, &nu.User)
	pp, _ := obj.Map("passwordProfile")
	nu.Password, _ = pp["password"].(string)
	nu.ForceChangePassword, _ = pp["forceChangePasswordNextSignIn"].(bool)
	if nu.Password == "" {
		WriteError(w, r, http.StatusBadRequest, CodeRequestBad, "passwordProfile.password is required.")
		return
	}
	u, err := d.dir.CreateUser(r.Context(), nu)
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	t, err := d.dir.Store().Tenant(r.Context())
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	writeEntity(w, r, http.StatusCreated, "users", userJSON(u, t))
}

// applyUser copies the writable properties present in obj onto u.
func applyUser(obj *ljson.Object, u *directory.User) {
	set := func(name string, dst *string) {
		if obj.Has(name) {
			v, _ := obj.String(name)
			*dst = v
		}
	}
	set("userPrincipalName", &u.UPN)
	set("displayName", &u.DisplayName)
	set("givenName", &u.GivenName)
	set("surname", &u.Surname)
	set("mail", &u.Mail)
	set("mailNickname", &u.MailNickname)
	set("department", &u.Department)
	set("jobTitle", &u.JobTitle)
	set("usageLocation", &u.UsageLocation)
	if v, ok := obj.Bool("accountEnabled"); ok {
		u.AccountEnabled = v
	}
}

func (d *Directory) patchUser(w http.ResponseWriter, r *http.Request, p Params) {
	obj, err := decode(w, r, userSchema)
	if err != nil || !checkType(w, r, obj, "microsoft.graph.user") {
		return
	}
	u, err := d.findUser(r, p["id"])
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	password := ""
	force, forceSet := false, false
	if pp, ok := obj.Map("passwordProfile"); ok {
		password, _ = pp["password"].(string)
		force, forceSet = pp["forceChangePasswordNextSignIn"].(bool)
	}
	_, err = d.dir.UpdateUser(r.Context(), u.ID, password, func(u *directory.User) error {
		applyUser(obj, u)
		if forceSet {
			u.ForceChangePassword = force
		}
		return nil
	})
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	noContent(w)
}

func (d *Directory) deleteUser(w http.ResponseWriter, r *http.Request, p Params) {
	u, err := d.findUser(r, p["id"])
	if err == nil {
		err = d.dir.DeleteUser(r.Context(), u.ID)
	}
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	noContent(w)
}

var licenseSchema = &ljson.Schema{Name: "assignLicense", Props: map[string]ljson.Prop{
	"addLicenses": {Kind: ljson.ComplexArray, Schema: &ljson.Schema{Name: "assignedLicense", Props: map[string]ljson.Prop{
		"skuId":         {Kind: ljson.Guid, Nullable: true},
		"disabledPlans": {Kind: ljson.StringArray, Nullable: true},
	}}},
	"removeLicenses": {Kind: ljson.StringArray},
}}

func (d *Directory) assignLicense(w http.ResponseWriter, r *http.Request, p Params) {
	obj, err := decode(w, r, licenseSchema)
	if err != nil {
		return
	}
	ctx := r.Context()
	t, err := d.dir.Store().Tenant(ctx)
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	adds, _ := obj.Maps("addLicenses")
	removes, _ := obj.Strings("removeLicenses")
	if !obj.Has("addLicenses") || !obj.Has("removeLicenses") {
		WriteError(w, r, http.StatusBadRequest, CodeRequestBad, "assignLicense needs both addLicenses and removeLicenses (either may be empty).")
		return
	}
	want := -1 // unchanged
	for _, a := range adds {
		sku, _ := a["skuId"].(string)
		if sku == "" {
			WriteError(w, r, http.StatusBadRequest, CodeRequestBad, "Every entry of addLicenses needs a skuId.")
			return
		}
		if !strings.EqualFold(sku, t.SkuID) {
			WriteError(w, r, http.StatusBadRequest, CodeRequestBad, "License "+sku+" does not correspond to a valid company License.")
			return
		}
		want = 1
	}
	for _, s := range removes {
		if !strings.EqualFold(s, t.SkuID) {
			WriteError(w, r, http.StatusBadRequest, CodeRequestBad, "License "+s+" does not correspond to a valid company License.")
			return
		}
		if want == 1 {
			WriteError(w, r, http.StatusBadRequest, CodeRequestBad, "The same licence cannot be added and removed in one call.")
			return
		}
		want = 0
	}
	u, err := d.findUser(r, p["id"])
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	if want >= 0 {
		u, err = d.dir.UpdateUser(ctx, u.ID, "", func(u *directory.User) error {
			u.Licensed = want == 1
			return nil
		})
		if err != nil {
			writeServiceError(w, r, d.log, err)
			return
		}
	}
	writeEntity(w, r, http.StatusOK, "users", userJSON(u, t))
}

func (d *Directory) userMemberOf(w http.ResponseWriter, r *http.Request, p Params) {
	u, err := d.findUser(r, p["id"])
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	d.writeMemberOf(w, r, u.ID)
}

func (d *Directory) deviceMemberOf(w http.ResponseWriter, r *http.Request, p Params) {
	dev, err := d.dir.Store().Device(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	d.writeMemberOf(w, r, dev.ID)
}

func (d *Directory) groupsOf(r *http.Request, objectID string) ([]map[string]any, error) {
	ctx := r.Context()
	ids, err := d.dir.Store().MemberOf(ctx, objectID)
	if err != nil {
		return nil, err
	}
	items := make([]map[string]any, 0, len(ids))
	for _, gid := range ids {
		g, err := d.dir.Store().Group(ctx, gid)
		if errors.Is(err, directory.ErrNotFound) {
			continue // deleted meanwhile
		}
		if err != nil {
			return nil, err
		}
		items = append(items, groupJSON(g))
	}
	return items, nil
}

func (d *Directory) writeMemberOf(w http.ResponseWriter, r *http.Request, objectID string) {
	items, err := d.groupsOf(r, objectID)
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	writeCollection(w, r, "directoryObjects", groupQuery, items)
}
