package graph

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/graph/ljson"
	"github.com/whiteglove/whiteglove/internal/graph/odata"
)

var groupSchema = &ljson.Schema{Name: "group", AllowBind: true, Props: map[string]ljson.Prop{
	"displayName":                   str(256),
	"description":                   str(1024),
	"mailNickname":                  str(64),
	"mailEnabled":                   {Kind: ljson.Bool},
	"securityEnabled":               {Kind: ljson.Bool},
	"groupTypes":                    {Kind: ljson.StringArray, MaxLen: 64},
	"membershipRule":                str(3072),
	"membershipRuleProcessingState": {Kind: ljson.Enum, Enum: []string{"On", "Paused"}, Nullable: true},
	"id":                            readOnly, "createdDateTime": readOnly, "renewedDateTime": readOnly,
}}

var groupQuery = odata.Schema{
	"id": odata.Guid, "displayName": odata.String, "description": odata.String, "mailNickname": odata.String,
	"mailEnabled": odata.Bool, "securityEnabled": odata.Bool, "groupTypes": odata.StringCollection,
	"membershipRule": odata.String, "membershipRuleProcessingState": odata.String, "createdDateTime": odata.DateTime,
}

func groupJSON(g directory.Group) map[string]any {
	types := g.GroupTypes
	if types == nil {
		types = []string{}
	}
	return map[string]any{
		"@odata.type":                   "#microsoft.graph.group",
		"id":                            g.ID,
		"displayName":                   g.DisplayName,
		"description":                   nullable(g.Description),
		"mailNickname":                  g.MailNickname,
		"mailEnabled":                   g.MailEnabled,
		"securityEnabled":               g.SecurityEnabled,
		"groupTypes":                    types,
		"membershipRule":                nullable(g.MembershipRule),
		"membershipRuleProcessingState": nullable(g.RuleProcessingState),
		"createdDateTime":               g.CreatedAt,
	}
}

func (d *Directory) listGroups(w http.ResponseWriter, r *http.Request, _ Params) {
	gs, err := d.dir.Store().Groups(r.Context())
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	items := make([]map[string]any, len(gs))
	for i, g := range gs {
		items[i] = groupJSON(g)
	}
	writeCollection(w, r, "groups", groupQuery, items, d.groupExpander())
}

// groupExpander serves $expand=members.
func (d *Directory) groupExpander() *expander {
	return &expander{names: []string{"members"}, fn: func(r *http.Request, item map[string]any, _ string) (any, error) {
		return d.memberObjects(r, item["id"].(string))
	}}
}

// memberOfExpander serves $expand=memberOf on users and devices.
func (d *Directory) memberOfExpander() *expander {
	return &expander{names: []string{"memberOf"}, fn: func(r *http.Request, item map[string]any, _ string) (any, error) {
		return d.groupsOf(r, item["id"].(string))
	}}
}

func (d *Directory) getGroup(w http.ResponseWriter, r *http.Request, p Params) {
	g, err := d.dir.Store().Group(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	writeSelected(w, r, http.StatusOK, "groups", groupQuery, groupJSON(g), d.groupExpander())
}

func applyGroup(obj *ljson.Object, g *directory.Group) {
	set := func(name string, dst *string) {
		if obj.Has(name) {
			v, _ := obj.String(name)
			*dst = v
		}
	}
	set("displayName", &g.DisplayName)
	set("description", &g.Description)
	set("mailNickname", &g.MailNickname)
	set("membershipRule", &g.MembershipRule)
	set("membershipRuleProcessingState", &g.RuleProcessingState)
	if v, ok := obj.Bool("mailEnabled"); ok {
		g.MailEnabled = v
	}
	if v, ok := obj.Bool("securityEnabled"); ok {
		g.SecurityEnabled = v
	}
	if obj.Has("groupTypes") {
		g.GroupTypes, _ = obj.Strings("groupTypes")
	}
}

func (d *Directory) createGroup(w http.ResponseWriter, r *http.Request, _ Params) {
	obj, err := decode(w, r, groupSchema)
	if err != nil || !checkType(w, r, obj, "microsoft.graph.group") || !checkGroupTypes(w, r, obj) {
		return
	}
	var missing []string
	for _, k := range []string{"displayName", "mailEnabled", "mailNickname", "securityEnabled"} {
		if !obj.Has(k) || obj.IsNull(k) {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		WriteError(w, r, http.StatusBadRequest, CodeRequestBad, "Missing required properties: "+strings.Join(missing, ", ")+".")
		return
	}
	var g directory.Group
	applyGroup(obj, &g)
	if g.MailEnabled && !containsFold(g.GroupTypes, directory.GroupTypeUnified) {
		WriteError(w, r, http.StatusBadRequest, CodeRequestBad, "Only Microsoft 365 groups (groupTypes \"Unified\") can be mail-enabled; set mailEnabled to false for a security group.")
		return
	}
	var members []string
	for name, urls := range obj.Binds {
		if !strings.EqualFold(name, "members@odata.bind") {
			WriteError(w, r, http.StatusBadRequest, CodeRequestBad, "Unsupported binding "+name+"; only members@odata.bind is accepted.")
			return
		}
		for _, u := range urls {
			id, ok := objectIDFromURL(u)
			if !ok {
				WriteError(w, r, http.StatusBadRequest, CodeRequestBad, "members@odata.bind entry "+u+" is not a directoryObjects URL.")
				return
			}
			members = append(members, id)
		}
	}
	g, err = d.dir.CreateGroupWithMembers(r.Context(), g, members)
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	writeEntity(w, r, http.StatusCreated, "groups", groupJSON(g))
}

func (d *Directory) patchGroup(w http.ResponseWriter, r *http.Request, p Params) {
	obj, err := decode(w, r, groupSchema)
	if err != nil || !checkType(w, r, obj, "microsoft.graph.group") || !checkGroupTypes(w, r, obj) {
		return
	}
	if len(obj.Binds) > 0 {
		WriteError(w, r, http.StatusBadRequest, CodeRequestBad, "Change members with /members/$ref, not @odata.bind in a PATCH.")
		return
	}
	_, err = d.dir.UpdateGroup(r.Context(), p["id"], func(g *directory.Group) error {
		applyGroup(obj, g)
		return nil
	})
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	noContent(w)
}

func (d *Directory) deleteGroup(w http.ResponseWriter, r *http.Request, p Params) {
	if err := d.dir.DeleteGroup(r.Context(), p["id"]); err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	noContent(w)
}

var memberQuery = odata.Schema{"id": odata.Guid, "displayName": odata.String, "userPrincipalName": odata.String, "deviceId": odata.Guid}

func (d *Directory) memberObjects(r *http.Request, groupID string) ([]map[string]any, error) {
	ctx := r.Context()
	if _, err := d.dir.Store().Group(ctx, groupID); err != nil {
		return nil, err
	}
	t, err := d.dir.Store().Tenant(ctx)
	if err != nil {
		return nil, err
	}
	users, err := d.dir.Store().MemberUsers(ctx, groupID)
	if err != nil {
		return nil, err
	}
	devs, err := d.dir.Store().MemberDevices(ctx, groupID)
	if err != nil {
		return nil, err
	}
	items := make([]map[string]any, 0, len(users)+len(devs))
	for _, u := range users {
		items = append(items, userJSON(u, t))
	}
	for _, dev := range devs {
		items = append(items, deviceJSON(dev))
	}
	return items, nil
}

func (d *Directory) listMembers(w http.ResponseWriter, r *http.Request, p Params) {
	items, err := d.memberObjects(r, p["id"])
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	writeCollection(w, r, "directoryObjects", memberQuery, items)
}

func (d *Directory) listMemberRefs(w http.ResponseWriter, r *http.Request, p Params) {
	items, err := d.memberObjects(r, p["id"])
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	refs := make([]map[string]any, len(items))
	for i, it := range items {
		refs[i] = map[string]any{"@odata.id": baseURL(r) + "/" + version(r) + "/directoryObjects/" + it["id"].(string), "id": it["id"]}
	}
	writeCollection(w, r, "directoryObjects", odata.Schema{"id": odata.Guid}, refs)
}

var directoryObjectURL = regexp.MustCompile(`(?i)(?:^|/)(?:directoryObjects|users|devices|groups)/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/?$`)

// objectIDFromURL extracts the object id from an @odata.id reference such as
// https://graph.microsoft.com/v1.0/directoryObjects/{id}.
func objectIDFromURL(u string) (string, bool) {
	m := directoryObjectURL.FindStringSubmatch(strings.TrimSpace(u))
	if m == nil {
		return "", false
	}
	return strings.ToLower(m[1]), true
}

func (d *Directory) addMember(w http.ResponseWriter, r *http.Request, p Params) {
	b, err := readBody(w, r)
	if err != nil {
		return
	}
	raw, err := ljson.Parse(b)
	if err != nil {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, err.Error())
		return
	}
	for _, m := range raw.Members {
		if m.Name != "@odata.id" {
			WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "Unknown property "+m.Name+" in a reference; send only @odata.id.")
			return
		}
	}
	ref, ok := raw.Lookup("@odata.id")
	s, isStr := ref.Interface().(string)
	if !ok || !isStr {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, `The body must be {"@odata.id": "https://…/directoryObjects/{id}"}.`)
		return
	}
	id, ok := objectIDFromURL(s)
	if !ok {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "@odata.id "+s+" is not a directoryObjects URL with an object id.")
		return
	}
	if err := d.dir.AddMember(r.Context(), p["id"], id); err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	noContent(w)
}

func (d *Directory) removeMember(w http.ResponseWriter, r *http.Request, p Params) {
	if err := d.dir.RemoveMember(r.Context(), p["id"], p["memberId"]); err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	noContent(w)
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// checkGroupTypes accepts only the group types whiteglove implements.
func checkGroupTypes(w http.ResponseWriter, r *http.Request, obj *ljson.Object) bool {
	types, _ := obj.Strings("groupTypes")
	for i, t := range types {
		switch {
		case strings.EqualFold(t, directory.GroupTypeDynamic):
			types[i] = directory.GroupTypeDynamic
		case strings.EqualFold(t, directory.GroupTypeUnified):
			types[i] = directory.GroupTypeUnified
		default:
			WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "groupTypes value "+t+" is not supported; use DynamicMembership and/or Unified.")
			return false
		}
	}
	return true
}
