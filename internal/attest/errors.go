package attest

import "errors"

// Error codes of attestation refusals.
const (
	CodeEKCertificateInvalid = "EKCertificateInvalid" // the EK certificate does not parse or is not usable
	CodeEKNotTrusted         = "EKNotTrusted"         // it does not chain to a trusted TPM manufacturer root
	CodeEKMismatch           = "EKMismatch"           // the EK is not the one in the device's hardware hash
	CodeAKInvalid            = "AKInvalid"            // the AK is not a restricted key created by a TPM
)

// Error is a named attestation refusal.
type Error struct {
	Code string
	Msg  string
}

func (e *Error) Error() string { return e.Code + ": " + e.Msg }

// Is matches another *Error with the same Code, so errors.Is(err,
// &Error{Code: CodeEKNotTrusted}) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// ErrorCode is the Code of the *Error in err's chain, or "".
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func refuse(code, msg string) *Error { return &Error{Code: code, Msg: msg} }
