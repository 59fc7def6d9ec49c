package odata

import (
	"math"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// numbered returns n entities with "size" = i and "displayName" = "dev-<i%3>".
func numbered(n int) []Entity {
	out := make([]Entity, n)
	for i := range out {
		out[i] = MapEntity{"size": i, "displayName": "dev-" + string(rune('a'+i%3)), "serialNumber": string(rune('A' + i))}
	}
	return out
}

func sizes(items []Entity) []int64 {
	var out []int64
	for _, e := range items {
		v, _ := e.Field("size")
		out = append(out, normalize(v).(int64))
	}
	return out
}

func TestApplyPaging(t *testing.T) {
	items := numbered(25)
	before := slices.Clone(items)
	raw := "$filter=size ge 2&$orderby=size desc&$top=10&$count=true"
	q := parseQ(t, raw)
	var seen []int64
	pages := 0
	for {
		p := q.Apply(items)
		pages++
		if p.Total != 23 {
			t.Fatalf("Total = %d, want 23", p.Total)
		}
		seen = append(seen, sizes(p.Items)...)
		if !p.HasNext {
			break
		}
		tok := q.NextSkipToken(p)
		q = parseQ(t, raw+"&$skiptoken="+url.QueryEscape(tok))
		if pages > 5 {
			t.Fatal("too many pages")
		}
	}
	if pages != 3 || len(seen) != 23 || seen[0] != 24 || seen[22] != 2 {
		t.Errorf("pages = %d, seen = %v", pages, seen)
	}
	if !slices.Equal(sizes(items), sizes(before)) {
		t.Fatal("Apply modified its input")
	}
}

func TestApplyEdges(t *testing.T) {
	items := numbered(5)
	p := parseQ(t, "$top=0").Apply(items)
	if len(p.Items) != 0 || p.Items == nil || p.Total != 5 || p.HasNext {
		t.Errorf("$top=0: %+v", p)
	}
	p = parseQ(t, "$skip=10").Apply(items)
	if len(p.Items) != 0 || p.Items == nil || p.HasNext || p.Total != 5 {
		t.Errorf("$skip past end: %+v", p)
	}
	p = parseQ(t, "$top=5").Apply(items)
	if len(p.Items) != 5 || p.HasNext {
		t.Errorf("exact page: %+v", p)
	}
	var nilQ *Query
	if p = nilQ.Apply(items); len(p.Items) != 5 || p.HasNext || p.Total != 5 || !nilQ.Match(nil) {
		t.Errorf("nil query: %+v", p)
	}
	if p = parseQ(t, "$top=3").Apply(nil); p.Items == nil || p.Total != 0 {
		t.Errorf("nil items: %+v", p)
	}
	q := &Query{Top: math.MaxInt, Skip: math.MaxInt - 1}
	if p = q.Apply(items); len(p.Items) != 0 {
		t.Errorf("huge skip/top: %+v", p)
	}
}

func TestSortEntities(t *testing.T) {
	items := []Entity{
		MapEntity{"n": "b", "k": 1},
		MapEntity{"n": "B", "k": 2},
		MapEntity{"k": 3},
		MapEntity{"n": "a", "k": 4},
		MapEntity{"n": nil, "k": 5},
		nil,
	}
	SortEntities(items, []OrderBy{{Property: "n"}})
	got := func() string {
		var b strings.Builder
		for _, e := range items {
			if e == nil {
				b.WriteString("nil ")
				continue
			}
			v, _ := e.Field("k")
			b.WriteString(string(rune('0'+v.(int))) + " ")
		}
		return b.String()
	}
	if s := got(); s != "3 5 nil 4 1 2 " {
		t.Errorf("ascending (nulls first, stable, case-insensitive) = %s", s)
	}
	SortEntities(items, []OrderBy{{Property: "n", Desc: true}, {Property: "k", Desc: true}})
	if s := got(); s != "2 1 4 5 3 nil " {
		t.Errorf("descending = %s", s)
	}
	mixed := []Entity{MapEntity{"v": math.NaN()}, MapEntity{"v": 2.5}, MapEntity{"v": int64(1)}, MapEntity{"v": true}, MapEntity{"v": mustTime("2024-01-01T00:00:00Z")}}
	SortEntities(mixed, []OrderBy{{Property: "v"}})
	if v, _ := mixed[0].Field("v"); v != true {
		t.Errorf("bools sort before numbers, got %v first", v)
	}
}

func TestNextLink(t *testing.T) {
	u, _ := url.Parse("https://wg.example/v1.0/devices?$filter=size%20ge%200&$top=2&$Skip=4&api-version=x#frag")
	q := parseQ(t, "$filter=size ge 0&$top=2&$Skip=4")
	p := q.Apply(numbered(10))
	link := q.NextLink(u, p)
	want := "https://wg.example/v1.0/devices?$filter=size+ge+0&$skiptoken=" + EncodeSkipToken(q, 6) + "&$top=2&api-version=x"
	if link != want {
		t.Errorf("NextLink =\n %s\nwant\n %s", link, want)
	}
	next, _ := url.Parse(link)
	q2, err := ParseQuery(next.Query(), testOpts)
	if err != nil || q2.Skip != 6 {
		t.Fatalf("following link: %v %v", q2, err)
	}
	last := q2.Apply(numbered(8))
	if q2.NextLink(u, last) != "" || q2.NextSkipToken(last) != "" || q.NextLink(nil, p) != "" {
		t.Error("no next page must give empty link")
	}
}

func TestMapEntity(t *testing.T) {
	m := MapEntity{"a/b": 1, "x": MapEntity{"y": map[string]any{"z": 2}}, "s": "str"}
	for path, want := range map[string]any{"a/b": 1, "x/y/z": 2} {
		if v, ok := m.Field(path); !ok || v != want {
			t.Errorf("Field(%s) = %v, %v", path, v, ok)
		}
	}
	for _, path := range []string{"A/B", "x/q", "s/t", "nope"} {
		if _, ok := m.Field(path); ok {
			t.Errorf("Field(%s) found", path)
		}
	}
	if _, ok := MapEntity(nil).Field("a"); ok {
		t.Error("nil MapEntity has fields")
	}
}
