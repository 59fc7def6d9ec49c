package targeting

import (
	"strings"

	"github.com/whiteglove/whiteglove/internal/assign"
)

// Catalog indexes items by the groups their assignments name, so a plan
// only looks at the items that can concern a device and its user. Build it
// once per catalog version; it is read-only and safe to share.
type Catalog struct {
	items   []Item
	byID    map[string]Item
	byGroup map[string][]int // group id → item indexes (include or exclude)
	broad   []int            // items assigned to all devices or all licensed users
}

// NewCatalog indexes items.
func NewCatalog(items []Item) *Catalog {
	c := &Catalog{items: items, byID: make(map[string]Item, len(items)), byGroup: map[string][]int{}}
	for i, it := range items {
		c.byID[it.ID] = it
		isBroad := false
		for _, a := range it.Assignments {
			switch a.Target.Kind {
			case assign.AllDevices, assign.AllLicensedUsers:
				isBroad = true
			case assign.Group, assign.ExclusionGroup:
				g := strings.ToLower(a.Target.GroupID)
				c.byGroup[g] = append(c.byGroup[g], i)
			}
		}
		if isBroad {
			c.broad = append(c.broad, i)
		}
	}
	return c
}

// Items returns every item.
func (c *Catalog) Items() []Item { return c.items }

// candidates returns the items that can concern subjects in these groups,
// in catalog order, plus every item with a broad assignment.
func (c *Catalog) candidates(groupSets ...map[string]bool) []Item {
	seen := map[int]bool{}
	for _, i := range c.broad {
		seen[i] = true
	}
	for _, gs := range groupSets {
		for g := range gs {
			for _, i := range c.byGroup[strings.ToLower(g)] {
				seen[i] = true
			}
		}
	}
	idx := make([]int, 0, len(seen))
	for i := range seen {
		idx = append(idx, i)
	}
	sortInts(idx)
	out := make([]Item, len(idx))
	for k, i := range idx {
		out[k] = c.items[i]
	}
	return out
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}
