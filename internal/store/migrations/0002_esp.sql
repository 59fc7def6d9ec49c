-- Enrollment Status Page profiles (Graph windows10EnrollmentCompletionPageConfiguration)
-- and their assignments. The default profile has priority 0; the others hold
-- 1..n (1 = highest), unique. Timestamps are RFC 3339 UTC text; lists are
-- JSON arrays as text.

CREATE TABLE esp_profiles (
    id TEXT PRIMARY KEY,
    is_default BOOLEAN NOT NULL,
    display_name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    priority INTEGER NOT NULL,
    version INTEGER NOT NULL,
    role_scope_tag_ids TEXT NOT NULL,
    show_installation_progress BOOLEAN NOT NULL,
    block_device_setup_retry_by_user BOOLEAN NOT NULL,
    allow_device_reset_on_install_failure BOOLEAN NOT NULL,
    allow_log_collection_on_install_failure BOOLEAN NOT NULL,
    custom_error_message TEXT NOT NULL,
    install_progress_timeout_minutes INTEGER NOT NULL,
    allow_device_use_on_install_failure BOOLEAN NOT NULL,
    selected_mobile_app_ids TEXT NOT NULL,
    allow_non_blocking_app_installation BOOLEAN NOT NULL,
    install_quality_updates BOOLEAN NOT NULL,
    track_install_progress_for_autopilot_only BOOLEAN NOT NULL,
    disable_user_status_tracking_after_first_user BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (NOT is_default OR priority = 0)
);

-- Unique priorities also make a second default (priority 0) impossible.
CREATE UNIQUE INDEX esp_profiles_priority ON esp_profiles (priority);

-- One row per assignment of a profile, in the order given (position).
CREATE TABLE esp_assignments (
    profile_id TEXT NOT NULL REFERENCES esp_profiles (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    target_kind TEXT NOT NULL,
    group_id TEXT NOT NULL DEFAULT '',
    collection_id TEXT NOT NULL DEFAULT '',
    filter_id TEXT NOT NULL DEFAULT '',
    filter_type TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (profile_id, id)
);

CREATE INDEX esp_assignments_group ON esp_assignments (group_id);
