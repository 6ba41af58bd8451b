-- A practitioner's calendar feed: one secret link per account, of which only
-- the token's SHA-256 is kept; a new link replaces the old.
CREATE TABLE calendar_feeds (
    user_id    uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    created_at timestamptz NOT NULL
);
