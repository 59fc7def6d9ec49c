// Package attest is the service side of TPM attestation: it checks a
// device's EK certificate against trusted TPM manufacturer roots and its
// attestation key's creation proof, makes the credential-activation
// challenge only that TPM can answer, and runs the small CA that issues
// device certificates once it has.
package attest
