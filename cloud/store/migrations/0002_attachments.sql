-- Attachments: sealed chunks of attached files, one row per chunk, keyed by the
-- account, the attachment's random ID and the chunk's index. They live apart from
-- vault_items (an item's blob names its files) and count in vaults.attachment_bytes,
-- which the row lock of a chunk's vault row keeps right under concurrent uploads.

ALTER TABLE vaults ADD COLUMN attachment_bytes bigint NOT NULL DEFAULT 0;

CREATE TABLE vault_chunks (
    account_id bytea   NOT NULL,
    attachment bytea   NOT NULL,
    idx        integer NOT NULL,
    data       bytea   NOT NULL,
    PRIMARY KEY (account_id, attachment, idx)
);
