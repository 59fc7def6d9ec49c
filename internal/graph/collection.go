package graph

import (
	"net/http"
	"net/url"

	"github.com/whiteglove/whiteglove/internal/graph/odata"
)

// PageSize is the default and largest page of a collection, as Graph pages
// Autopilot devices.
const PageSize = 1000

// parseQuery parses the request's OData options against schema; on error it
// has answered 400 naming the problem.
func parseQuery(w http.ResponseWriter, r *http.Request, schema odata.Schema) (*odata.Query, bool) {
	q, err := odata.ParseQuery(r.URL.Query(), odata.QueryOptions{Schema: schema, Select: selectable(schema), MaxTop: PageSize, DefaultTop: PageSize})
	if err != nil {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "Invalid query: "+err.Error())
		return nil, false
	}
	return q, true
}

// selectable lists what $select accepts: every schema property.
func selectable(schema odata.Schema) []string {
	out := make([]string, 0, len(schema))
	for k := range schema {
		out = append(out, k)
	}
	return out
}

// writeCollection applies the request's $filter, $search, $orderby, $top,
// $skiptoken, $count and $select to items and writes one page with an
// absolute @odata.nextLink built from the request's own host.
func writeCollection(w http.ResponseWriter, r *http.Request, set string, schema odata.Schema, items []map[string]any) {
	q, ok := parseQuery(w, r, schema)
	if !ok {
		return
	}
	ents := make([]odata.Entity, len(items))
	for i, it := range items {
		ents[i] = odata.MapEntity(it)
	}
	page := q.Apply(ents)
	values := make([]map[string]any, len(page.Items))
	for i, e := range page.Items {
		values[i] = project(e.(odata.MapEntity), q.Select)
	}
	body := map[string]any{"@odata.context": contextURL(r, set), "value": values}
	if q.Count {
		body["@odata.count"] = page.Total
	}
	if page.HasNext {
		self := &url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawQuery: r.URL.RawQuery}
		if r.TLS != nil {
			self.Scheme = "https"
		}
		body["@odata.nextLink"] = q.NextLink(self, page)
	}
	writeJSON(w, http.StatusOK, body)
}

// writeSelected writes one entity honouring $select.
func writeSelected(w http.ResponseWriter, r *http.Request, status int, set string, schema odata.Schema, item map[string]any) {
	q, err := odata.ParseQuery(url.Values{"$select": r.URL.Query()["$select"]}, odata.QueryOptions{Schema: schema, Select: selectable(schema)})
	if len(r.URL.Query()["$select"]) == 0 {
		q, err = &odata.Query{}, nil
	}
	if err != nil {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "Invalid query: "+err.Error())
		return
	}
	writeEntity(w, r, status, set, project(item, q.Select))
}

// project keeps only the selected properties (and @odata.type); nil keeps all.
func project(item map[string]any, sel []string) map[string]any {
	if sel == nil {
		return item
	}
	out := make(map[string]any, len(sel)+1)
	if t, ok := item["@odata.type"]; ok {
		out["@odata.type"] = t
	}
	for _, k := range sel {
		if v, ok := item[k]; ok {
			out[k] = v
		}
	}
	return out
}
