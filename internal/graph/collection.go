package graph

import (
	"net/http"
	"net/url"

	"github.com/whiteglove/whiteglove/internal/graph/odata"
)

// PageSize is the default and largest page of a collection, as Graph pages
// Autopilot devices.
const PageSize = 1000

// expander fills in $expand navigation properties of one item.
type expander struct {
	names []string // what $expand accepts
	fn    func(r *http.Request, item map[string]any, name string) (any, error)
}

// parseQuery parses the request's OData options against schema; on error it
// has answered 400 naming the problem.
func parseQuery(w http.ResponseWriter, r *http.Request, schema odata.Schema, exp *expander) (*odata.Query, bool) {
	opts := odata.QueryOptions{Schema: schema, Select: selectable(schema), MaxTop: PageSize, DefaultTop: PageSize}
	if exp != nil {
		opts.Expand = exp.names
	}
	q, err := odata.ParseQuery(r.URL.Query(), opts)
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

// expand fills in the requested navigation properties of item.
func expand(r *http.Request, q *odata.Query, exp *expander, item map[string]any) (map[string]any, error) {
	if exp == nil || len(q.Expand) == 0 {
		return item, nil
	}
	out := make(map[string]any, len(item)+len(q.Expand))
	for k, v := range item {
		out[k] = v
	}
	for _, name := range q.Expand {
		v, err := exp.fn(r, item, name)
		if err != nil {
			return nil, err
		}
		out[name] = v
	}
	return out, nil
}

// writeCollection applies the request's $filter, $search, $orderby, $top,
// $skiptoken, $count, $select and $expand to items and writes one page with
// an absolute @odata.nextLink built from the request's own host.
func writeCollection(w http.ResponseWriter, r *http.Request, set string, schema odata.Schema, items []map[string]any, exp ...*expander) {
	var e *expander
	if len(exp) > 0 {
		e = exp[0]
	}
	q, ok := parseQuery(w, r, schema, e)
	if !ok {
		return
	}
	ents := make([]odata.Entity, len(items))
	for i, it := range items {
		ents[i] = odata.MapEntity(it)
	}
	page := q.Apply(ents)
	values := make([]map[string]any, len(page.Items))
	for i, ent := range page.Items {
		full, err := expand(r, q, e, ent.(odata.MapEntity))
		if err != nil {
			writeServiceError(w, r, nil, err)
			return
		}
		values[i] = project(full, q.Select, q.Expand)
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
		if pub := publicBase(r); pub != nil {
			self.Scheme, self.Host = pub.Scheme, pub.Host
			self.Path = pub.Path + r.URL.Path
		}
		body["@odata.nextLink"] = q.NextLink(self, page)
	}
	writeJSON(w, http.StatusOK, body)
}

// writeSelected writes one entity honouring $select and $expand; the other
// query options are parsed (so mistakes are refused) and have no effect on
// a single entity.
func writeSelected(w http.ResponseWriter, r *http.Request, status int, set string, schema odata.Schema, item map[string]any, exp ...*expander) {
	var e *expander
	if len(exp) > 0 {
		e = exp[0]
	}
	q, ok := parseQuery(w, r, schema, e)
	if !ok {
		return
	}
	full, err := expand(r, q, e, item)
	if err != nil {
		writeServiceError(w, r, nil, err)
		return
	}
	writeEntity(w, r, status, set, project(full, q.Select, q.Expand))
}

// project keeps only the selected properties (plus @odata.type and the
// expanded ones); a nil selection keeps all.
func project(item map[string]any, sel, expanded []string) map[string]any {
	if sel == nil {
		return item
	}
	out := make(map[string]any, len(sel)+len(expanded)+1)
	if t, ok := item["@odata.type"]; ok {
		out["@odata.type"] = t
	}
	for _, k := range sel {
		if v, ok := item[k]; ok {
			out[k] = v
		}
	}
	for _, k := range expanded {
		out[k] = item[k]
	}
	return out
}
