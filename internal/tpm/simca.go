package tpm

// The simulation manufacturer CA: a fixed, deliberately public CA that issues
// the EK certificates of simulated and software TPMs. Its key is in this
// source file, so trusting it means trusting anyone: a service trusts it only
// when told to (--trust-simulated-tpms).

const simulationCACertPEM = `
-----BEGIN CERTIFICATE-----
MIICKzCCAdGgAwIBAgIQLUbjkAS6CIehJD7cVo2fjDAKBggqhkjOPQQDAjB0MTYw
NAYDVQQKEy13aGl0ZWdsb3ZlIHNpbXVsYXRpb24gKE5PVCBBIFJFQUwgVFBNIFZF
TkRPUikxOjA4BgNVBAMTMXdoaXRlZ2xvdmUgSU5TRUNVUkUgc2ltdWxhdGVkIFRQ
TSBtYW51ZmFjdHVyZXIgQ0EwHhcNMjUwMTAxMDAwMDAwWhcNNDUwMTAxMDAwMDAw
WjB0MTYwNAYDVQQKEy13aGl0ZWdsb3ZlIHNpbXVsYXRpb24gKE5PVCBBIFJFQUwg
VFBNIFZFTkRPUikxOjA4BgNVBAMTMXdoaXRlZ2xvdmUgSU5TRUNVUkUgc2ltdWxh
dGVkIFRQTSBtYW51ZmFjdHVyZXIgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC
AATPFP2RkoG9jPBZ3zjFwFu83werDDg/g9yUI7+a56NnQP4uXCBAdHdRaouTdb/J
R4uljlahXaaHc3ab18IlBSjoo0UwQzAOBgNVHQ8BAf8EBAMCAQYwEgYDVR0TAQH/
BAgwBgEB/wIBATAdBgNVHQ4EFgQUUHkX/q0YrDF9/YEJNL44tcAn/X4wCgYIKoZI
zj0EAwIDSAAwRQIhAK9mqvdA6Ets9QIVxSYYlPgmR1NtLXAtdDiY/kUPkb+iAiBF
iQWR0PzEAXOQ4BKMdWXffzHdiXNB3SFs5eisJNltrw==
-----END CERTIFICATE-----
`

const simulationCAKeyPEM = `
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgmsHKcSZtFTJq1b08
cViQXLp5Oit+3kIl3aZC9cYid5mhRANCAATPFP2RkoG9jPBZ3zjFwFu83werDDg/
g9yUI7+a56NnQP4uXCBAdHdRaouTdb/JR4uljlahXaaHc3ab18IlBSjo
-----END PRIVATE KEY-----
`
