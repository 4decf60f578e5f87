-- valv-cloud's schema. Keys are bytea, as bbolt's are bytes: a key taken from a request
-- (an item ID, an activation code, an e-mail being tried) can then never be refused by
-- text encoding rules, and it sorts byte by byte on every server. Records the server
-- only reads whole (accounts, sessions, licences, codes) are their JSON in data; what
-- is looked up or counted has a column.

CREATE TABLE accounts (
    id    bytea PRIMARY KEY,
    email bytea NOT NULL UNIQUE,
    data  bytea NOT NULL
);

CREATE TABLE identities (
    provider   bytea NOT NULL,
    subject    bytea NOT NULL,
    account_id bytea NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (provider, subject)
);
CREATE INDEX identities_account ON identities (account_id);

-- Sessions and licences may name an account the store has not seen (the bbolt store
-- allows it too); deleting an account deletes them explicitly.
CREATE TABLE sessions (
    id         bytea PRIMARY KEY,
    account_id bytea NOT NULL,
    data       bytea NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id, id);

CREATE TABLE licences (
    account_id bytea NOT NULL,
    id         bytea NOT NULL,
    data       bytea NOT NULL,
    PRIMARY KEY (account_id, id)
);

CREATE TABLE activation_codes (
    code bytea PRIMARY KEY,
    data bytea NOT NULL
);

-- Short-lived records: captchas, codes, counters, rate limits. expires is Unix
-- nanoseconds; a row at or past it reads as absent. A row with a NULL value is a
-- placeholder a Temp call locks while it decides.
CREATE TABLE temp (
    kind    bytea  NOT NULL,
    key     bytea  NOT NULL,
    expires bigint NOT NULL,
    value   bytea,
    PRIMARY KEY (kind, key)
);
CREATE INDEX temp_expires ON temp (expires);

-- One row per account that ever had a vault: the counter row a push locks (FOR
-- UPDATE) to check bases and take change numbers, so pushes of one account run one
-- after another and change numbers rise without gaps. It outlives a wipe (header NULL)
-- so change numbers keep rising and a later vault needs a higher key epoch.
CREATE TABLE vaults (
    account_id    bytea PRIMARY KEY,
    header        bytea,
    latest_change bigint  NOT NULL DEFAULT 0,
    bytes         bigint  NOT NULL DEFAULT 0,
    entries       integer NOT NULL DEFAULT 0,
    epoch         bigint  NOT NULL DEFAULT 0
);

CREATE TABLE vault_items (
    account_id bytea   NOT NULL,
    id         bytea   NOT NULL,
    change     bigint  NOT NULL,
    deleted    boolean NOT NULL,
    blob       bytea   NOT NULL,
    PRIMARY KEY (account_id, id),
    UNIQUE (account_id, change)
);
