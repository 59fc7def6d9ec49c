-- The app and policy catalog: apps (Graph mobileApps), device configuration
-- profiles (Graph deviceConfigurations), device management scripts, their
-- assignments, and the catalog version that every write bumps in the same
-- transaction (the targeting engine caches by it). Ids are lower-case GUIDs;
-- timestamps are RFC 3339 UTC text; kind-specific properties live in a JSON
-- body as text.

CREATE TABLE mobile_apps (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    odata_type TEXT NOT NULL,
    display_name TEXT NOT NULL,
    content_sha256 TEXT NOT NULL DEFAULT '',
    size BIGINT NOT NULL DEFAULT 0,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- One row per dependency of an app, in the order given (position). The
-- dependency must be another app; deleting an app that others depend on is
-- refused by the service.
CREATE TABLE mobile_app_dependencies (
    app_id TEXT NOT NULL REFERENCES mobile_apps (id) ON DELETE CASCADE,
    depends_on_id TEXT NOT NULL REFERENCES mobile_apps (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (app_id, depends_on_id)
);

CREATE INDEX mobile_app_dependencies_target ON mobile_app_dependencies (depends_on_id);

CREATE TABLE device_configurations (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    display_name TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE device_scripts (
    id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    file_name TEXT NOT NULL,
    content TEXT NOT NULL,
    run_as_account TEXT NOT NULL,
    enforce_signature_check BOOLEAN NOT NULL,
    run_as_32_bit BOOLEAN NOT NULL,
    role_scope_tag_ids TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Assignments of apps, policies and scripts (owner_kind 'app', 'policy' or
-- 'script'), in the order given (position). intent is '' for policies and
-- scripts; notifications is the app assignment's notification setting.
CREATE TABLE catalog_assignments (
    owner_kind TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    intent TEXT NOT NULL DEFAULT '',
    target_kind TEXT NOT NULL,
    group_id TEXT NOT NULL DEFAULT '',
    collection_id TEXT NOT NULL DEFAULT '',
    filter_id TEXT NOT NULL DEFAULT '',
    filter_type TEXT NOT NULL DEFAULT '',
    notifications TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (owner_kind, owner_id, id)
);

CREATE INDEX catalog_assignments_group ON catalog_assignments (group_id);

-- The catalog version, bumped by every catalog write (the row is also the
-- catalog writers' lock).
INSERT INTO locks (name, version) VALUES ('catalog', 0);
