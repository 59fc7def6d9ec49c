-- Each registered device's desired state: what its technician and user
-- phases install, with a version that moves only when the content does.
CREATE TABLE device_manifests (
    device_id TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    digest TEXT NOT NULL,
    body TEXT NOT NULL,
    computed_at TEXT NOT NULL
);

-- Objects whose change may move manifests: 'device:<ztdid>',
-- 'entra:<object id>' or 'user:<object id>'; drained by the recomputer.
CREATE TABLE manifest_dirty (
    object_key TEXT PRIMARY KEY,
    marked_at TEXT NOT NULL
);

-- What the last full recomputation saw (catalog version and ESP/profile
-- rules), so a change is recomputed once, by one replica.
CREATE TABLE manifest_state (
    id TEXT PRIMARY KEY,
    state_key TEXT NOT NULL
);

INSERT INTO manifest_state (id, state_key) VALUES ('all', '');
