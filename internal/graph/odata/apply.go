package odata

import (
	"cmp"
	"math"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
)

// Page is one page of results from Query.Apply.
type Page struct {
	// Items is the page, in order; never nil (empty when nothing is left).
	Items []Entity
	// Total counts the items that matched $filter and $search, before
	// $skip/$top; report it as @odata.count when Query.Count is set.
	Total int
	// HasNext is true when items remain after this page.
	HasNext bool
	// NextOffset is the Skip of the next page; meaningful only when HasNext.
	NextOffset int
}

// Apply filters items with Filter and Search, sorts them stably by OrderBy
// (input order breaks ties; no OrderBy keeps input order), then skips Skip
// items and keeps Top. The input slice is not modified. A nil Query returns
// every item on one page.
func (q *Query) Apply(items []Entity) Page {
	matched := make([]Entity, 0, len(items))
	for _, e := range items {
		if q == nil || (q.Filter.Match(e) && q.Search.Match(e)) {
			matched = append(matched, e)
		}
	}
	total := len(matched)
	if q == nil {
		return Page{Items: matched, Total: total}
	}
	SortEntities(matched, q.OrderBy)
	start := min(max(q.Skip, 0), total)
	end := start + min(max(q.Top, 0), total-start)
	return Page{
		Items:      matched[start:end:end],
		Total:      total,
		HasNext:    end < total && q.Top > 0,
		NextOffset: end,
	}
}

// Match reports whether e passes both Filter and Search; a nil Query
// matches everything.
func (q *Query) Match(e Entity) bool {
	return q == nil || (q.Filter.Match(e) && q.Search.Match(e))
}

// NextSkipToken returns the $skiptoken for the page after p, or "" when p
// has no next page.
func (q *Query) NextSkipToken(p Page) string {
	if !p.HasNext {
		return ""
	}
	return EncodeSkipToken(q, p.NextOffset)
}

// NextLink returns request with any $skip/$skiptoken (in any spelling)
// replaced by the $skiptoken for the page after p, for @odata.nextLink. It
// returns "" when p has no next page or request is nil. Pass an absolute
// URL to get an absolute link.
func (q *Query) NextLink(request *url.URL, p Page) string {
	if !p.HasNext || request == nil {
		return ""
	}
	values := request.Query()
	for k := range values {
		name := strings.ToLower(strings.TrimPrefix(k, "$"))
		if name == "skip" || name == "skiptoken" {
			delete(values, k)
		}
	}
	values.Set("$skiptoken", q.NextSkipToken(p))
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range values[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(strings.ReplaceAll(url.QueryEscape(k), "%24", "$") + "=" + url.QueryEscape(v))
		}
	}
	u := *request
	u.RawQuery = b.String()
	u.Fragment, u.RawFragment = "", ""
	return u.String()
}

// SortEntities sorts items in place, stably, by the given clauses. Values
// compare by their run-time type: numbers numerically, times
// chronologically, strings ignoring case, false before true; null (absent)
// sorts first ascending and last descending. Empty by leaves items as they
// are.
func SortEntities(items []Entity, by []OrderBy) {
	if len(by) == 0 || len(items) < 2 {
		return
	}
	type row struct {
		e    Entity
		keys []any
	}
	rows := make([]row, len(items))
	for i, e := range items {
		keys := make([]any, len(by))
		for j, o := range by {
			if e != nil {
				if v, ok := e.Field(o.Property); ok {
					keys[j] = normalize(v)
				}
			}
		}
		rows[i] = row{e: e, keys: keys}
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		for j, o := range by {
			c := compareSortValues(a.keys[j], b.keys[j])
			if o.Desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
	for i, r := range rows {
		items[i] = r.e
	}
}

// sortRank orders values of different run-time types: null first.
func sortRank(v any) int {
	switch v.(type) {
	case nil:
		return 0
	case bool:
		return 1
	case int64, float64:
		return 2
	case time.Time:
		return 3
	case string:
		return 4
	}
	return 5
}

// compareSortValues compares two normalised values for $orderby.
func compareSortValues(a, b any) int {
	ra, rb := sortRank(a), sortRank(b)
	if ra != rb {
		return cmp.Compare(ra, rb)
	}
	switch x := a.(type) {
	case bool:
		y := b.(bool)
		if x == y {
			return 0
		}
		if !x {
			return -1
		}
		return 1
	case int64, float64:
		if c, ok := compareNumbers(a, b); ok {
			return c
		}
		return cmp.Compare(notNaN(a), notNaN(b)) // NaN sorts before numbers
	case time.Time:
		return x.Compare(b.(time.Time))
	case string:
		return foldCompare(x, b.(string))
	}
	return 0
}

// notNaN is 0 for a NaN float and 1 for any other number.
func notNaN(v any) int {
	if f, ok := v.(float64); ok && math.IsNaN(f) {
		return 0
	}
	return 1
}
