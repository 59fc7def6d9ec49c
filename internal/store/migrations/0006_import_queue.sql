-- The import processor claims pending rows in submission order; this index
-- serves the claim without reading each pending row's 4 KB hash.
CREATE INDEX autopilot_imports_queue ON autopilot_imports (status, created_at, import_id, seq);

-- Pending hashes live apart from the queue rows, so claiming and finishing
-- an import rewrites a small row, not 4 KB of hash. A row is deleted when
-- its import finishes (the device keeps its own copy).
CREATE TABLE autopilot_import_hashes (
    id TEXT PRIMARY KEY,
    hardware_hash TEXT NOT NULL
);
