package winenv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ExitError is a failed reg command: Msg is what reg.exe would print on
// stderr ("ERROR: …") and Code its exit status.
type ExitError struct {
	Code int
	Msg  string
}

func (e *ExitError) Error() string { return e.Msg }

// Messages reg.exe prints.
const (
	regOK       = "The operation completed successfully."
	regNotFound = "ERROR: The system was unable to find the specified registry key or value."
)

// regSyntax is reg.exe's answer to bad arguments of op.
func regSyntax(op, detail string) *ExitError {
	msg := "ERROR: Invalid syntax."
	if detail != "" {
		msg = "ERROR: Invalid syntax: " + detail + "."
	}
	return &ExitError{Code: 1, Msg: msg + "\nType \"REG " + strings.ToUpper(op) + " /?\" for usage."}
}

// regFail is an ERROR line with exit status 1.
func regFail(format string, args ...any) *ExitError {
	return &ExitError{Code: 1, Msg: "ERROR: " + fmt.Sprintf(format, args...)}
}

// RegCommand runs a subset of reg.exe against env's registry as user (""
// = SYSTEM; HKCU is that user's):
//
//	add KEY [/v NAME | /ve] [/t TYPE] [/s SEPARATOR] [/d DATA] [/f] [/reg:32|/reg:64]
//	query KEY [/v NAME | /ve] [/s] [/reg:32|/reg:64]
//	delete KEY [/v NAME | /ve | /va] [/f] [/reg:32|/reg:64]
//
// Options are case-insensitive and may start with "/" or "-". args starts
// with the operation. Output goes to stdout as reg.exe prints it. Usage
// mistakes and missing keys or values give an *ExitError; since nothing
// prompts, overwriting an existing value with add and any delete need /f.
// Other errors (reading or writing the registry) are returned wrapped.
func RegCommand(ctx context.Context, env *Env, user string, args []string, stdout io.Writer) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("reg: %w", err)
	}
	if len(args) == 0 {
		return &ExitError{Code: 1, Msg: "ERROR: Invalid syntax.\nType \"REG /?\" for usage."}
	}
	op := strings.ToLower(args[0])
	if op != "add" && op != "query" && op != "delete" {
		return &ExitError{Code: 1, Msg: fmt.Sprintf("ERROR: Invalid syntax: %q is not ADD, QUERY or DELETE (the operations supported).\nType \"REG /?\" for usage.", args[0])}
	}
	if len(args) < 2 {
		return regSyntax(op, "the key is missing")
	}
	opts, err := parseRegOpts(op, args[2:])
	if err != nil {
		return err
	}
	if err := CheckUser(user); err != nil {
		return regFail("%v.", err)
	}
	key, err := CanonicalKey(args[1], user)
	if err != nil {
		return &ExitError{Code: 1, Msg: "ERROR: Invalid key name.\nType \"REG " + strings.ToUpper(op) + " /?\" for usage."}
	}
	if opts.view32 {
		key = wow64Key(key)
	}
	rc := regCmd{reg: env.reg.As(user), key: key, o: opts, out: stdout}
	switch op {
	case "add":
		err = rc.add()
	case "query":
		err = rc.query()
	default:
		err = rc.delete()
	}
	var ee *ExitError
	if errors.Is(err, ErrNotFound) {
		return &ExitError{Code: 1, Msg: regNotFound}
	}
	if err != nil && !errors.As(err, &ee) {
		return fmt.Errorf("reg %s: %w", op, err)
	}
	return err
}

// regOpts are the parsed options.
type regOpts struct {
	value             string
	hasValue, allVals bool // /v or /ve given; /va given
	typ, data, sep    string
	hasData, hasType  bool
	hasSep            bool
	force, recursive  bool
	view32            bool
}

// parseRegOpts parses the options after the key.
func parseRegOpts(op string, args []string) (regOpts, error) {
	o := regOpts{typ: RegSZ, sep: `\0`}
	seen := map[string]bool{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if len(a) < 2 || (a[0] != '/' && a[0] != '-') {
			return o, regSyntax(op, fmt.Sprintf("unexpected argument %q", a))
		}
		name := strings.ToLower(a[1:])
		if seen[name] {
			return o, regSyntax(op, "/"+name+" is given twice")
		}
		seen[name] = true
		arg := func() (string, error) {
			if i+1 >= len(args) {
				return "", regSyntax(op, "/"+name+" needs a value")
			}
			i++
			return args[i], nil
		}
		var err error
		switch {
		case name == "v":
			o.value, err = arg()
			o.hasValue = true
		case name == "ve":
			o.hasValue = true
		case name == "va" && op == "delete":
			o.allVals = true
		case name == "t" && op == "add":
			o.typ, err = arg()
			o.typ, o.hasType = strings.ToUpper(o.typ), true
		case name == "d" && op == "add":
			o.data, err = arg()
			o.hasData = true
		case name == "s" && op == "add":
			o.sep, err = arg()
			o.hasSep = true
		case name == "s" && op == "query":
			o.recursive = true
		case name == "f" && op != "query":
			o.force = true
		case name == "reg:32":
			o.view32 = true
		case name == "reg:64":
		default:
			return o, regSyntax(op, fmt.Sprintf("%s is not an option of REG %s", a, strings.ToUpper(op)))
		}
		if err != nil {
			return o, err
		}
	}
	switch {
	case seen["v"] && seen["ve"], o.allVals && o.hasValue:
		return o, regSyntax(op, "/v, /ve and /va exclude each other")
	case seen["reg:32"] && seen["reg:64"]:
		return o, regSyntax(op, "/reg:32 and /reg:64 exclude each other")
	case op == "add" && !o.hasValue && (o.hasData || o.hasType):
		return o, regSyntax(op, "/t and /d need /v NAME or /ve")
	case o.hasSep && (o.typ != RegMultiSZ || len(o.sep) != 1 && o.sep != `\0`):
		return o, regSyntax(op, "/s takes one character and only with /t REG_MULTI_SZ")
	}
	return o, nil
}
