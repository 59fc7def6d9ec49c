package rule

import (
	"fmt"
	"strings"
)

// Subject is what a rule's properties describe.
type Subject int

const (
	// SubjectDevice marks rules over device.* properties.
	SubjectDevice Subject = iota + 1
	// SubjectUser marks rules over user.* properties.
	SubjectUser
)

// subjectName is the property prefix of s ("device" or "user").
func subjectName(s Subject) string {
	switch s {
	case SubjectDevice:
		return "device"
	case SubjectUser:
		return "user"
	}
	return fmt.Sprintf("subject(%d)", int(s))
}

// kind is the value shape of a property.
type kind uint8

const (
	kindString kind = iota // single-valued string
	kindBool               // single-valued "true"/"false"
	kindMulti              // multi-valued strings
)

// propInfo describes one known property.
type propInfo struct {
	name string // canonical name, without the subject prefix
	kind kind
}

// propTable indexes entries, plus extensionAttribute1..15, by lowered name.
func propTable(entries ...propInfo) map[string]propInfo {
	m := make(map[string]propInfo, len(entries)+15)
	for _, e := range entries {
		m[strings.ToLower(e.name)] = e
	}
	for i := 1; i <= 15; i++ {
		n := fmt.Sprintf("extensionAttribute%d", i)
		m[strings.ToLower(n)] = propInfo{n, kindString}
	}
	return m
}

var deviceProps = func() map[string]propInfo {
	m := propTable(
		propInfo{"accountEnabled", kindBool},
		propInfo{"displayName", kindString},
		propInfo{"deviceId", kindString},
		propInfo{"objectId", kindString},
		propInfo{"deviceOSType", kindString},
		propInfo{"deviceOSVersion", kindString},
		propInfo{"deviceOwnership", kindString},
		propInfo{"deviceCategory", kindString},
		propInfo{"deviceManufacturer", kindString},
		propInfo{"deviceModel", kindString},
		propInfo{"enrollmentProfileName", kindString},
		propInfo{"isRooted", kindBool},
		propInfo{"managementType", kindString},
		propInfo{"profileType", kindString},
		propInfo{"devicePhysicalIds", kindMulti},
		propInfo{"systemLabels", kindMulti},
	)
	m["physicalids"] = m["devicephysicalids"] // documented alias
	return m
}()

var userProps = propTable(
	propInfo{"accountEnabled", kindBool},
	propInfo{"userPrincipalName", kindString},
	propInfo{"displayName", kindString},
	propInfo{"givenName", kindString},
	propInfo{"surname", kindString},
	propInfo{"mail", kindString},
	propInfo{"mailNickname", kindString},
	propInfo{"department", kindString},
	propInfo{"jobTitle", kindString},
	propInfo{"companyName", kindString},
	propInfo{"country", kindString},
	propInfo{"city", kindString},
	propInfo{"state", kindString},
	propInfo{"usageLocation", kindString},
	propInfo{"employeeId", kindString},
	propInfo{"userType", kindString},
	propInfo{"objectId", kindString},
	propInfo{"otherMails", kindMulti},
	propInfo{"proxyAddresses", kindMulti},
)

// lookupProp resolves a property word such as "device.physicalIDs".
// On failure it returns a message saying what was expected.
func lookupProp(word string) (Subject, propInfo, string) {
	prefix, name, ok := strings.Cut(word, ".")
	if !ok {
		return 0, propInfo{}, "a property such as device.displayName or user.department"
	}
	var subj Subject
	var table map[string]propInfo
	switch {
	case strings.EqualFold(prefix, "device"):
		subj, table = SubjectDevice, deviceProps
	case strings.EqualFold(prefix, "user"):
		subj, table = SubjectUser, userProps
	default:
		return 0, propInfo{}, "a property starting with device. or user."
	}
	info, ok := table[strings.ToLower(name)]
	if !ok {
		return 0, propInfo{}, "a known " + subjectName(subj) + " property"
	}
	return subj, info, ""
}
