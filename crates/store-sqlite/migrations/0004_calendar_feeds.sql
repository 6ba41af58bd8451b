-- A practitioner's calendar feed: one secret link per account, of which only
-- the token's SHA-256 is kept; a new link replaces the old.
CREATE TABLE calendar_feeds (
    user_id    BLOB    NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash BLOB    NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
