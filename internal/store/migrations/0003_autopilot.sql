-- Autopilot registration: device identities (ZTDId), import requests,
-- deployment profiles and their assignments, and the settings/sync record.

CREATE TABLE autopilot_devices (
    id TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL UNIQUE,
    serial_number TEXT NOT NULL,
    serial_key TEXT NOT NULL,
    manufacturer TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    product_key TEXT NOT NULL DEFAULT '',
    sku_number TEXT NOT NULL DEFAULT '',
    system_family TEXT NOT NULL DEFAULT '',
    group_tag TEXT NOT NULL DEFAULT '',
    purchase_order TEXT NOT NULL DEFAULT '',
    user_principal_name TEXT NOT NULL DEFAULT '',
    addressable_user_name TEXT NOT NULL DEFAULT '',
    display_name TEXT NOT NULL DEFAULT '',
    resource_name TEXT NOT NULL DEFAULT '',
    device_account_upn TEXT NOT NULL DEFAULT '',
    device_account_password TEXT NOT NULL DEFAULT '',
    device_friendly_name TEXT NOT NULL DEFAULT '',
    entra_object_id TEXT NOT NULL,
    entra_device_id TEXT NOT NULL,
    managed_device_id TEXT NOT NULL DEFAULT '',
    enrollment_state TEXT NOT NULL,
    last_contacted_at TEXT NOT NULL,
    hardware_hash TEXT NOT NULL,
    import_id TEXT NOT NULL DEFAULT '',
    direct_profile_id TEXT NOT NULL DEFAULT '',
    profile_id TEXT NOT NULL DEFAULT '',
    profile_status TEXT NOT NULL,
    profile_assigned_at TEXT NOT NULL DEFAULT '',
    remediation_state TEXT NOT NULL DEFAULT 'noRemediationRequired',
    userless_enrollment_status TEXT NOT NULL DEFAULT 'allowed',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX autopilot_devices_serial ON autopilot_devices (serial_key);
CREATE INDEX autopilot_devices_entra ON autopilot_devices (entra_object_id);
CREATE INDEX autopilot_devices_profile ON autopilot_devices (profile_id);

CREATE TABLE autopilot_imports (
    id TEXT PRIMARY KEY,
    import_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    serial_number TEXT NOT NULL DEFAULT '',
    product_key TEXT NOT NULL DEFAULT '',
    group_tag TEXT NOT NULL DEFAULT '',
    assigned_upn TEXT NOT NULL DEFAULT '',
    hardware_hash TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    registration_id TEXT NOT NULL DEFAULT '',
    error_code INTEGER NOT NULL DEFAULT 0,
    error_name TEXT NOT NULL DEFAULT '',
    lease_owner TEXT NOT NULL DEFAULT '',
    lease_until TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    completed_at TEXT NOT NULL DEFAULT ''
);

CREATE INDEX autopilot_imports_status ON autopilot_imports (status, lease_until);
CREATE INDEX autopilot_imports_serial ON autopilot_imports (serial_number);

CREATE TABLE deployment_profiles (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    display_name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE deployment_profile_assignments (
    id TEXT PRIMARY KEY,
    profile_id TEXT NOT NULL REFERENCES deployment_profiles (id) ON DELETE CASCADE,
    target_kind TEXT NOT NULL,
    group_id TEXT NOT NULL DEFAULT '',
    filter_id TEXT NOT NULL DEFAULT '',
    filter_type TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE INDEX deployment_profile_assignments_profile ON deployment_profile_assignments (profile_id);

CREATE TABLE autopilot_settings (
    id TEXT PRIMARY KEY,
    last_sync_at TEXT NOT NULL DEFAULT '',
    last_manual_sync_at TEXT NOT NULL DEFAULT '',
    sync_status TEXT NOT NULL DEFAULT 'unknown',
    sync_lease_until TEXT NOT NULL DEFAULT ''
);
