// Package odata parses and evaluates the Microsoft Graph / OData query
// options that the whiteglove admin API accepts: $filter, $select, $expand,
// $orderby, $top, $skip, $count, $search and $skiptoken.
//
// Everything is evaluated in memory. A caller describes the properties of a
// resource with a Schema, parses the request's query string with ParseQuery,
// and then applies the resulting Query to a slice of Entity values:
//
//	q, err := odata.ParseQuery(r.URL.Query(), odata.QueryOptions{Schema: deviceSchema})
//	if err != nil { /* 400 Bad Request, err is an *odata.Error */ }
//	page := q.Apply(entities)
//	// page.Items -> "value", page.Total -> "@odata.count" (when q.Count),
//	// q.NextLink(requestURL, page) -> "@odata.nextLink" ("" when none).
//
// String comparisons follow Graph directory objects and ignore case. Parsing
// never panics; every problem is reported as an *Error naming the option,
// the column and what was expected versus what was found.
package odata
