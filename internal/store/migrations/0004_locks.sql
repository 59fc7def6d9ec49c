-- Named lock rows, so unrelated serializations (dynamic rules, licence
-- seats on the tenant row) never wait on each other.
CREATE TABLE locks (
    name TEXT PRIMARY KEY,
    version BIGINT NOT NULL DEFAULT 0
);

INSERT INTO locks (name, version) VALUES ('rules', 0);
