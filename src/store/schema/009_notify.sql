-- Version 9: notifications (docs/DECISIONS.md, Notifications).
-- Robot channels per unit; the outbox every message is written to in the
-- transaction that causes it; the days the daily digest ran.
CREATE TABLE notify_channels (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    kind TEXT NOT NULL,              -- wecom, dingtalk, webhook
    name TEXT NOT NULL,
    url TEXT NOT NULL,               -- holds the robot's key or token: never shown in full
    secret TEXT NOT NULL DEFAULT '', -- DingTalk 加签 secret or the webhook's HMAC key
    msgtype TEXT NOT NULL DEFAULT 'markdown',
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX notify_channels_unit ON notify_channels (unit_id, id);

-- state: pending -> sending (claimed, leased until lease_until) -> sent | dead;
-- a lapsed lease makes a 'sending' row claimable again. Times in epoch seconds.
CREATE TABLE notify_outbox (
    id INTEGER PRIMARY KEY,
    dedupe_key TEXT NOT NULL UNIQUE,
    channel_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL,
    event TEXT NOT NULL,             -- remind, supervise, daily, test
    item_id INTEGER,
    title TEXT NOT NULL,
    body TEXT NOT NULL,              -- Markdown
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL,
    lease_until INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX notify_outbox_due ON notify_outbox (state, next_at);

CREATE TABLE notify_runs (
    day INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL
);
