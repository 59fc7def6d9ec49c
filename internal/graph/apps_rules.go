package graph

import (
	"encoding/base64"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/graph/ljson"
)

// ruleFamily is where a rule shape is used: v1.0/beta "rules" (with
// ruleType), or beta's legacy detectionRules / requirementRules.
type ruleFamily int

const (
	ruleV1 ruleFamily = iota
	ruleDetection
	ruleRequirement
)

// ruleShape is one Graph rule type: its rule kind and the properties it
// has besides @odata.type.
type ruleShape struct {
	family ruleFamily
	kind   apps.RuleType
	props  []string
}

var ruleShapes = map[string]ruleShape{
	"win32LobAppFileSystemRule":       {ruleV1, apps.RuleFile, []string{"ruleType", "check32BitOn64System", "comparisonValue", "fileOrFolderName", "operationType", "operator", "path"}},
	"win32LobAppRegistryRule":         {ruleV1, apps.RuleRegistry, []string{"ruleType", "check32BitOn64System", "comparisonValue", "keyPath", "operationType", "operator", "valueName"}},
	"win32LobAppProductCodeRule":      {ruleV1, apps.RuleProductCode, []string{"ruleType", "productCode", "productVersion", "productVersionOperator"}},
	"win32LobAppPowerShellScriptRule": {ruleV1, apps.RuleScript, []string{"ruleType", "comparisonValue", "displayName", "enforceSignatureCheck", "operationType", "operator", "runAs32Bit", "runAsAccount", "scriptContent"}},

	"win32LobAppFileSystemDetection":       {ruleDetection, apps.RuleFile, []string{"check32BitOn64System", "detectionType", "detectionValue", "fileOrFolderName", "operator", "path"}},
	"win32LobAppRegistryDetection":         {ruleDetection, apps.RuleRegistry, []string{"check32BitOn64System", "detectionType", "detectionValue", "keyPath", "operator", "valueName"}},
	"win32LobAppProductCodeDetection":      {ruleDetection, apps.RuleProductCode, []string{"productCode", "productVersion", "productVersionOperator"}},
	"win32LobAppPowerShellScriptDetection": {ruleDetection, apps.RuleScript, []string{"enforceSignatureCheck", "runAs32Bit", "scriptContent"}},

	"win32LobAppFileSystemRequirement":       {ruleRequirement, apps.RuleFile, []string{"operator", "detectionValue", "check32BitOn64System", "detectionType", "fileOrFolderName", "path"}},
	"win32LobAppRegistryRequirement":         {ruleRequirement, apps.RuleRegistry, []string{"operator", "detectionValue", "check32BitOn64System", "detectionType", "keyPath", "valueName"}},
	"win32LobAppPowerShellScriptRequirement": {ruleRequirement, apps.RuleScript, []string{"operator", "detectionValue", "detectionType", "displayName", "enforceSignatureCheck", "runAs32Bit", "runAsAccount", "scriptContent"}},
}

// ruleProps are the request schema kinds of every rule property.
var ruleProps = map[string]ljson.Prop{
	"ruleType": {Kind: ljson.Enum, Enum: []string{"detection", "requirement"}}, "check32BitOn64System": nbool(),
	"comparisonValue": nstr(0), "detectionValue": nstr(0), "fileOrFolderName": nstr(0), "path": nstr(0),
	"keyPath": nstr(0), "valueName": nstr(0), "operationType": nstr(32), "detectionType": nstr(32),
	"operator": nenum(ruleOperators), "productCode": nstr(64), "productVersion": nstr(64),
	"productVersionOperator": nenum(ruleOperators), "displayName": nstr(0), "enforceSignatureCheck": nbool(),
	"runAs32Bit": nbool(), "runAsAccount": nenum(runAsAccounts), "scriptContent": nstr(0),
}

// ruleUnionSchema accepts every property of the family's rule types; the
// conversion then refuses those the given @odata.type does not have.
func ruleUnionSchema(f ruleFamily) *ljson.Schema {
	props := map[string]ljson.Prop{}
	for _, s := range ruleShapes {
		if s.family == f {
			for _, p := range s.props {
				props[p] = ruleProps[p]
			}
		}
	}
	return &ljson.Schema{Name: "rule", Props: props}
}

// typesOf lists the family's rule types for messages.
func typesOf(f ruleFamily) string {
	var out []string
	for name, s := range ruleShapes {
		if s.family == f {
			out = append(out, "#microsoft.graph."+name)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// parseRules converts decoded rules of a family; for ruleV1 the result is
// split by ruleType. at names the property in messages.
func parseRules(items []map[string]any, f ruleFamily, at string) (detection, requirement []apps.Rule, err error) {
	for i, m := range items {
		where := fmt.Sprintf("%s[%d]", at, i)
		typ, _ := m["@odata.type"].(string)
		name := graphTypeName(typ)
		shape, ok := ruleShapes[name]
		if !ok || shape.family != f {
			return nil, nil, fmt.Errorf("%s needs an @odata.type naming its kind: one of %s", where, typesOf(f))
		}
		for k := range m {
			if k != "@odata.type" && !slices.Contains(shape.props, k) {
				return nil, nil, fmt.Errorf("%s: %s has no property %q", where, name, k)
			}
		}
		r, err := ruleFrom(m, shape.kind, where)
		if err != nil {
			return nil, nil, err
		}
		isReq := f == ruleRequirement
		if f == ruleV1 {
			rt, _ := m["ruleType"].(string)
			if rt == "" {
				return nil, nil, fmt.Errorf("%s.ruleType is required: detection or requirement", where)
			}
			isReq = rt == "requirement"
		}
		if isReq {
			requirement = append(requirement, r)
		} else {
			detection = append(detection, r)
		}
	}
	return detection, requirement, nil
}

// ruleFrom maps one decoded rule onto apps.Rule; both the v1.0 and the
// legacy property names land in the same fields.
func ruleFrom(m map[string]any, kind apps.RuleType, where string) (apps.Rule, error) {
	s := func(k string) string { v, _ := m[k].(string); return v }
	b := func(k string) bool { v, _ := m[k].(bool); return v }
	r := apps.Rule{
		Type: kind, Path: s("path"), FileOrFolderName: s("fileOrFolderName"), KeyPath: s("keyPath"), ValueName: s("valueName"),
		Check32BitOn64System: b("check32BitOn64System"), ProductCode: s("productCode"), ProductVersion: s("productVersion"),
		DisplayName: s("displayName"), EnforceSignatureCheck: b("enforceSignatureCheck"), RunAs32Bit: b("runAs32Bit"),
		RunAsAccount: s("runAsAccount"), Operator: apps.Operator(s("operator")),
		Operation: s("operationType") + s("detectionType"), Value: s("comparisonValue") + s("detectionValue"),
	}
	if r.Operation == "notConfigured" {
		r.Operation = ""
	}
	if kind == apps.RuleProductCode {
		r.Operator = apps.Operator(s("productVersionOperator"))
	}
	if c := s("scriptContent"); c != "" {
		raw, err := base64.StdEncoding.DecodeString(c)
		if err != nil {
			return r, fmt.Errorf("%s.scriptContent must be the script base64-encoded", where)
		}
		r.ScriptContent = raw
	}
	return r, nil
}

// ruleNames are the Graph type names of each rule kind, by family.
var ruleNames = func() map[ruleFamily]map[apps.RuleType]string {
	out := map[ruleFamily]map[apps.RuleType]string{}
	for name, s := range ruleShapes {
		if out[s.family] == nil {
			out[s.family] = map[apps.RuleType]string{}
		}
		out[s.family][s.kind] = name
	}
	return out
}()

// ruleJSON is the Graph shape of r in family f; ok is false when the
// family has no type for r's kind (product codes are no legacy requirement).
func ruleJSON(r apps.Rule, f ruleFamily, detection bool) (map[string]any, bool) {
	name, ok := ruleNames[f][r.Type]
	if !ok {
		return nil, false
	}
	op := r.Operation
	if op == "" {
		op = "notConfigured"
	}
	m := map[string]any{"@odata.type": "#microsoft.graph." + name}
	shape := ruleShapes[name]
	set := func(k string, v any) {
		if slices.Contains(shape.props, k) {
			m[k] = v
		}
	}
	rt := "requirement"
	if detection {
		rt = "detection"
	}
	set("ruleType", rt)
	set("check32BitOn64System", r.Check32BitOn64System)
	set("path", nullable(r.Path))
	set("fileOrFolderName", nullable(r.FileOrFolderName))
	set("keyPath", nullable(r.KeyPath))
	set("valueName", nullable(r.ValueName))
	set("operationType", op)
	set("detectionType", op)
	set("comparisonValue", nullable(r.Value))
	set("detectionValue", nullable(r.Value))
	set("displayName", nullable(r.DisplayName))
	set("enforceSignatureCheck", r.EnforceSignatureCheck)
	set("runAs32Bit", r.RunAs32Bit)
	set("runAsAccount", nullable(r.RunAsAccount))
	set("scriptContent", nullable(base64.StdEncoding.EncodeToString(r.ScriptContent)))
	if r.Type == apps.RuleProductCode {
		m["productCode"], m["productVersion"], m["productVersionOperator"] = r.ProductCode, nullable(r.ProductVersion), string(r.Operator)
	} else {
		set("operator", string(r.Operator))
	}
	return m, true
}

// rulesJSON renders rules of one family ("rules" holds both sets).
func rulesJSON(a apps.App, f ruleFamily) []map[string]any {
	out := []map[string]any{}
	add := func(rs []apps.Rule, detection bool) {
		for _, r := range rs {
			if m, ok := ruleJSON(r, f, detection); ok {
				out = append(out, m)
			}
		}
	}
	if f != ruleRequirement {
		add(a.DetectionRules, true)
	}
	if f != ruleDetection {
		add(a.Requirements.Rules, false)
	}
	return out
}
