-- Tenant, people, apps, groups and Entra-style device objects.
-- Timestamps are RFC 3339 UTC text with nanoseconds, so they sort and compare
-- the same way in SQLite and PostgreSQL.

CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    domain TEXT NOT NULL,
    sku_part_number TEXT NOT NULL,
    sku_id TEXT NOT NULL,
    seats INTEGER NOT NULL,
    rules_version BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE UNIQUE INDEX tenants_domain ON tenants (domain);

CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    private_pem TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE apps (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    roles TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    upn TEXT NOT NULL,
    upn_key TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    given_name TEXT NOT NULL DEFAULT '',
    surname TEXT NOT NULL DEFAULT '',
    mail TEXT NOT NULL DEFAULT '',
    mail_nickname TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    job_title TEXT NOT NULL DEFAULT '',
    usage_location TEXT NOT NULL DEFAULT '',
    account_enabled BOOLEAN NOT NULL,
    licensed BOOLEAN NOT NULL,
    roles TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    force_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    account_enabled BOOLEAN NOT NULL,
    operating_system TEXT NOT NULL DEFAULT '',
    operating_system_version TEXT NOT NULL DEFAULT '',
    manufacturer TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    trust_type TEXT NOT NULL DEFAULT '',
    enrollment_profile_name TEXT NOT NULL DEFAULT '',
    physical_ids TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE groups_ (
    id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    mail_nickname TEXT NOT NULL DEFAULT '',
    mail_enabled BOOLEAN NOT NULL,
    security_enabled BOOLEAN NOT NULL,
    group_types TEXT NOT NULL,
    membership_rule TEXT NOT NULL DEFAULT '',
    rule_subject TEXT NOT NULL DEFAULT '',
    rule_processing_state TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX groups_display_name ON groups_ (display_name);
CREATE INDEX groups_rule_subject ON groups_ (rule_subject);

-- One row per (group, member). source is 'static' or 'dynamic'.
CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES groups_ (id) ON DELETE CASCADE,
    member_id TEXT NOT NULL,
    member_type TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (group_id, member_id)
);

CREATE INDEX group_members_member ON group_members (member_id);
