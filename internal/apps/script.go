package apps

import (
	"slices"
	"time"
)

// Script is a PowerShell script the device runs once (Graph
// deviceManagementScript). It succeeds when it exits 0; any other exit
// code is a failure the ESP reports.
type Script struct {
	ID          string
	DisplayName string
	Description string
	FileName    string // ends in .ps1
	// Content is the script itself (Graph carries it base64-encoded in
	// scriptContent); at most MaxScriptBytes.
	Content               []byte
	RunAsAccount          string // RunAsSystem (default) or RunAsUser
	EnforceSignatureCheck bool
	RunAs32Bit            bool
	RoleScopeTagIDs       []string // never empty after validation: ["0"] by default
	Assignments           []Assignment
	CreatedAt             time.Time
	UpdatedAt             time.Time
}

// clone returns s with its slices copied.
func (s Script) clone() Script {
	s.Content = slices.Clone(s.Content)
	s.RoleScopeTagIDs = slices.Clone(s.RoleScopeTagIDs)
	s.Assignments = slices.Clone(s.Assignments)
	return s
}

// ItemKind names the three kinds of catalog items (assignment owners).
type ItemKind string

// Item kinds.
const (
	ItemApp    ItemKind = "app"
	ItemPolicy ItemKind = "policy"
	ItemScript ItemKind = "script"
)
