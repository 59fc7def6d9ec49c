// Package ljson decodes Microsoft-Graph-style request bodies: lenient about
// the JSON dialect that real admin tooling sends, strict about the schema.
//
// The WindowsAutopilotIntune PowerShell module builds request bodies with
// string interpolation, so the server sees things such as
//
//	{ userPrincipalName: "a@b.com", addressableUserName: "A B", groupTag: "X" }
//	{"showInstallationProgress": "True", "installProgressTimeoutInMinutes": "60", }
//
// [Parse] accepts standard JSON (RFC 8259) plus exactly three extensions:
// unquoted property names, a single trailing comma in an object or array,
// and a leading UTF-8 byte order mark. Everything else that encoding/json
// rejects is rejected too, and a few things it tolerates are rejected as
// well: duplicate property names, invalid UTF-8 and unpaired surrogate
// escapes in strings, and nesting deeper than [MaxDepth].
//
// [Decode] parses a body and validates it against a [Schema]: property names
// match case-insensitively, booleans and numbers may arrive as strings,
// OData annotations are handled, and every other deviation is reported as an
// [*Error] that names the offending property, ready for a 400 response.
package ljson
