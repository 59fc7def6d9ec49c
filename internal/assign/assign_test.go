package assign

import "testing"

func TestApplies(t *testing.T) {
	dev := Subject{IsDevice: true, Groups: map[string]bool{"g1": true}}
	user := Subject{Licensed: true, Groups: map[string]bool{"g2": true}}
	unlicensed := Subject{Groups: map[string]bool{"g2": true}}
	cases := []struct {
		name    string
		targets []Target
		s       Subject
		want    bool
	}{
		{"group includes", []Target{{Kind: Group, GroupID: "G1"}}, dev, true},
		{"other group", []Target{{Kind: Group, GroupID: "g2"}}, dev, false},
		{"exclusion wins", []Target{{Kind: Group, GroupID: "g1"}, {Kind: ExclusionGroup, GroupID: "g1"}}, dev, false},
		{"exclusion alone includes nothing", []Target{{Kind: ExclusionGroup, GroupID: "g9"}}, dev, false},
		{"all devices", []Target{{Kind: AllDevices}}, dev, true},
		{"all devices is not users", []Target{{Kind: AllDevices}}, user, false},
		{"all licensed users", []Target{{Kind: AllLicensedUsers}}, user, true},
		{"unlicensed user", []Target{{Kind: AllLicensedUsers}}, unlicensed, false},
		{"all devices minus group", []Target{{Kind: AllDevices}, {Kind: ExclusionGroup, GroupID: "g1"}}, dev, false},
		{"config manager never matches", []Target{{Kind: ConfigMgrCollection, CollectionID: "c"}}, dev, false},
		{"none", nil, dev, false},
	}
	for _, c := range cases {
		if got := Applies(c.targets, c.s); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestParseKindAndValidate(t *testing.T) {
	for in, want := range map[string]Kind{
		"#microsoft.graph.groupAssignmentTarget":            Group,
		"microsoft.graph.exclusionGroupAssignmentTarget":    ExclusionGroup,
		"allDevicesAssignmentTarget":                        AllDevices,
		"#Microsoft.Graph.AllLicensedUsersAssignmentTarget": AllLicensedUsers,
	} {
		if got, err := ParseKind(in); err != nil || got != want {
			t.Errorf("ParseKind(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseKind("#microsoft.graph.nope"); err == nil {
		t.Error("unknown kind accepted")
	}
	if err := (Target{Kind: Group}).Validate(); err == nil {
		t.Error("group target without group id accepted")
	}
	if err := (Target{Kind: AllDevices, FilterType: "maybe"}).Validate(); err == nil {
		t.Error("bad filter type accepted")
	}
	if err := (Target{Kind: ExclusionGroup, GroupID: "x", FilterType: FilterInclude}).Validate(); err != nil {
		t.Error(err)
	}
}
