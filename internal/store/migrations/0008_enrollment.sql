-- Device enrollment: the service's device CA, attestation challenges,
-- managed devices (one per enrolled Autopilot device), provisioning
-- sessions with their named timelines, and uploaded diagnostics.

-- Key material kept once per tenant: 'device-ca' (PEM certificate and key),
-- 'device-token' (HMAC key for device access tokens).
CREATE TABLE device_secrets (
    id TEXT PRIMARY KEY,
    public_pem TEXT NOT NULL,
    private_pem TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- A credential-activation challenge: single use, short-lived. Only the
-- SHA-256 of the secret is kept.
CREATE TABLE attest_challenges (
    id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    secret_sha256 TEXT NOT NULL,
    ek_fingerprint TEXT NOT NULL,
    tpm_kind TEXT NOT NULL,
    tpm_manufacturer TEXT NOT NULL,
    os_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX attest_challenges_device ON attest_challenges (device_id, created_at);

-- The managed device (Intune's record): created by enrollment. Its stage
-- walks technician → sealed → user → complete (user-driven: user → complete).
CREATE TABLE managed_devices (
    id TEXT PRIMARY KEY,
    ztd_id TEXT NOT NULL UNIQUE,
    device_name TEXT NOT NULL,
    serial_number TEXT NOT NULL,
    cert_serial TEXT NOT NULL,
    cert_thumbprint TEXT NOT NULL,
    ek_fingerprint TEXT NOT NULL,
    tpm_kind TEXT NOT NULL,
    tpm_manufacturer TEXT NOT NULL,
    os_edition TEXT NOT NULL,
    os_build INTEGER NOT NULL,
    stage TEXT NOT NULL,
    primary_user TEXT NOT NULL DEFAULT '',
    enrolled_at TEXT NOT NULL,
    technician_done_at TEXT NOT NULL DEFAULT '',
    sealed_at TEXT NOT NULL DEFAULT '',
    user_done_at TEXT NOT NULL DEFAULT '',
    last_contact_at TEXT NOT NULL
);

-- One provisioning session per device per phase attempt.
CREATE TABLE provisioning_sessions (
    id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    phase TEXT NOT NULL,
    state TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    last_seq BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX provisioning_sessions_device ON provisioning_sessions (device_id, started_at);

-- The named timeline of a session, in the device's order.
CREATE TABLE provisioning_events (
    session_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    at TEXT NOT NULL,
    step TEXT NOT NULL,
    item_id TEXT NOT NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    state TEXT NOT NULL,
    detail TEXT NOT NULL,
    error TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
);

-- Diagnostics bundles uploaded by devices (the zip is a content blob).
CREATE TABLE device_logs (
    id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    blob_sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX device_logs_device ON device_logs (device_id, uploaded_at);
