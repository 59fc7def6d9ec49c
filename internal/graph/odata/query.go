package odata

import (
	"net/url"
	"sort"
	"strings"
)

const (
	// DefaultPageSize is the page size used when neither $top nor
	// QueryOptions.DefaultTop says otherwise.
	DefaultPageSize = 1000
	// DefaultMaxFilterLength is the longest $filter or $search (in bytes)
	// ParseQuery accepts when QueryOptions.MaxFilterLength is 0.
	DefaultMaxFilterLength = 4096
)

// QueryOptions configures ParseQuery for one resource collection.
type QueryOptions struct {
	// Schema lists the properties $filter, $orderby and $search may use,
	// and the $select names when Select is nil. nil means no properties.
	Schema Schema
	// Select lists the names $select accepts (matched ignoring case,
	// returned in this spelling). nil means the Schema's property paths; an
	// empty non-nil slice rejects every $select name.
	Select []string
	// Expand lists the navigation properties $expand accepts. nil or empty
	// rejects every $expand.
	Expand []string
	// MaxTop is the largest $top accepted. 0 or less means the effective
	// DefaultTop is also the maximum.
	MaxTop int
	// DefaultTop is the page size when $top is absent. 0 or less means
	// DefaultPageSize (1000). It is capped at MaxTop.
	DefaultTop int
	// MaxFilterLength bounds the byte length of $filter and $search. 0
	// means DefaultMaxFilterLength; a negative value means no limit.
	MaxFilterLength int
}

// Query holds the parsed query options of one request. The zero Query
// (Top 0) returns empty pages; use ParseQuery to get the defaults.
type Query struct {
	// Filter is the parsed $filter; nil when absent (matches everything).
	Filter *Filter
	// Search is the parsed $search; nil when absent (matches everything).
	Search *Search
	// Select holds canonical $select names in request order without
	// duplicates; nil when $select is absent or "*" (all properties).
	Select []string
	// Expand holds canonical $expand names in request order without
	// duplicates; nil when $expand is absent.
	Expand []string
	// OrderBy is the parsed $orderby; nil when absent (input order kept).
	OrderBy []OrderBy
	// Top is the page size: $top, or the default when $top is absent.
	// 0 yields empty pages.
	Top int
	// Skip is the offset of the first item: $skip, or the offset carried by
	// $skiptoken; 0 when both are absent.
	Skip int
	// Count is true when $count=true asked for @odata.count.
	Count bool
	// SkipToken is the raw $skiptoken as received; "" when absent.
	SkipToken string
}

// OrderBy is one $orderby clause.
type OrderBy struct {
	// Property is the canonical schema path to sort by.
	Property string
	// Desc is true for "desc"; false (the default) sorts ascending with
	// nulls first.
	Desc bool
}

// String returns the clause as "property asc" or "property desc".
func (o OrderBy) String() string {
	if o.Desc {
		return o.Property + " desc"
	}
	return o.Property + " asc"
}

// optionNames are the system query options ParseQuery understands, without
// the '$' and in lower case.
var optionNames = map[string]bool{
	"filter": true, "select": true, "expand": true, "orderby": true, "top": true,
	"skip": true, "count": true, "search": true, "skiptoken": true,
}

// ParseQuery parses the system query options in values. Option names are
// matched ignoring case, with or without the '$' prefix; other parameters
// without '$' are ignored, while an unknown '$' option, a repeated option or
// an empty value is an error. Values must already be percent-decoded (as
// url.Values are). Errors are *Error values naming the option. Absent
// options leave their Query fields at "not given" (see Query); Top gets the
// default page size. A $top above the maximum is an error, not clamped, as
// in Graph. $skip and $skiptoken together are an error; $skiptoken is
// checked against this request's $filter, $orderby and $search.
func ParseQuery(values url.Values, opts QueryOptions) (*Query, error) {
	raw, rerr := collectOptions(values)
	if rerr != nil {
		return nil, rerr
	}
	var err error
	maxLen := opts.MaxFilterLength
	if maxLen == 0 {
		maxLen = DefaultMaxFilterLength
	}
	q := &Query{}
	for _, name := range []string{"filter", "search"} {
		if v, ok := raw[name]; ok && maxLen > 0 && len(v) > maxLen {
			return nil, errOpt("$"+name, "expected at most %d characters but found %d", maxLen, len(v))
		}
	}
	if v, ok := raw["filter"]; ok {
		if q.Filter, err = ParseFilter(v, opts.Schema); err != nil {
			return nil, err
		}
	}
	if v, ok := raw["search"]; ok {
		if q.Search, err = ParseSearch(v, opts.Schema); err != nil {
			return nil, err
		}
	}
	if err := q.parseOthers(raw, opts); err != nil {
		return nil, err
	}
	return q, nil
}

// parseOthers parses every option but $filter and $search into q.
func (q *Query) parseOthers(raw map[string]string, opts QueryOptions) error {
	var err error
	if v, ok := raw["orderby"]; ok {
		if q.OrderBy, err = parseOrderBy(v, opts.Schema); err != nil {
			return err
		}
	}
	if v, ok := raw["select"]; ok {
		allowed := opts.Select
		if allowed == nil {
			allowed = opts.Schema.Names()
		}
		if q.Select, err = parseNames("$select", v, allowed, true); err != nil {
			return err
		}
	}
	if v, ok := raw["expand"]; ok {
		if q.Expand, err = parseNames("$expand", v, opts.Expand, false); err != nil {
			return err
		}
	}
	def, maxTop := pageSizes(opts)
	q.Top = def
	if v, ok := raw["top"]; ok {
		if q.Top, err = parseCount("$top", v, maxTop); err != nil {
			return err
		}
	}
	if v, ok := raw["skip"]; ok {
		if q.Skip, err = parseCount("$skip", v, -1); err != nil {
			return err
		}
	}
	if v, ok := raw["count"]; ok {
		if q.Count, err = parseBool("$count", v); err != nil {
			return err
		}
	}
	if v, ok := raw["skiptoken"]; ok {
		if _, both := raw["skip"]; both {
			return errOpt("$skiptoken", "expected either $skip or $skiptoken but found both")
		}
		q.SkipToken = v
		if q.Skip, err = DecodeSkipToken(q, v); err != nil {
			return err
		}
	}
	return nil
}

// pageSizes returns the effective default and maximum $top.
func pageSizes(opts QueryOptions) (def, maxTop int) {
	def = opts.DefaultTop
	if def <= 0 {
		def = DefaultPageSize
	}
	maxTop = opts.MaxTop
	if maxTop <= 0 {
		maxTop = def
	}
	return min(def, maxTop), maxTop
}

// collectOptions maps lower-case option names (no '$') to their values.
func collectOptions(values url.Values) (map[string]string, *Error) {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	raw := map[string]string{}
	for _, k := range keys {
		name := strings.ToLower(strings.TrimPrefix(k, "$"))
		if !optionNames[name] {
			if strings.HasPrefix(k, "$") {
				return nil, errOpt(k, "expected a supported query option ($filter, $select, $expand, $orderby, $top, $skip, $count, $search, $skiptoken) but found %s", quoteFound(k))
			}
			continue
		}
		vals := values[k]
		if _, dup := raw[name]; dup || len(vals) != 1 {
			return nil, errOpt("$"+name, "expected the option once but found it repeated")
		}
		if strings.TrimSpace(vals[0]) == "" {
			return nil, errOpt("$"+name, "expected a value but found an empty string")
		}
		raw[name] = vals[0]
	}
	return raw, nil
}
