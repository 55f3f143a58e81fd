-- taizhang schema, version 1. Portable SQL: SQLite now, PostgreSQL through the
-- same interface later. Dates are integer day numbers since 1970-01-01;
-- timestamps are ISO 8601 text with offset.
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id INTEGER REFERENCES units(id),
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    roles INTEGER NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    pw_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    created INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    expires INTEGER NOT NULL
);

CREATE TABLE code_seq (
    ledger TEXT NOT NULL,
    year INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (ledger, year)
);

CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    ledger TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    leader TEXT NOT NULL DEFAULT '',
    lead_unit_id INTEGER REFERENCES units(id),
    deadline INTEGER,
    original_deadline INTEGER,
    status TEXT NOT NULL,
    light TEXT NOT NULL,
    progress INTEGER NOT NULL DEFAULT 0,
    extension_count INTEGER NOT NULL DEFAULT 0,
    supervised INTEGER NOT NULL DEFAULT 0,
    remind_count INTEGER NOT NULL DEFAULT 0,
    reopen_count INTEGER NOT NULL DEFAULT 0,
    has_location INTEGER NOT NULL DEFAULT 0,
    lat REAL,
    lon REAL,
    address TEXT,
    fields TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    assigned_at TEXT,
    closed_at TEXT,
    assigned_day INTEGER,
    submitted_day INTEGER,
    last_report_day INTEGER,
    report_every_days INTEGER NOT NULL DEFAULT 0,
    on_time INTEGER,
    ext_pending INTEGER NOT NULL DEFAULT 0,
    ext_deadline INTEGER,
    ext_comment TEXT,
    ext_by INTEGER,
    ext_at TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX items_list ON items (ledger, status, light, deadline);
CREATE INDEX items_deadline ON items (deadline, id);
CREATE INDEX items_light ON items (light, deadline);
CREATE INDEX items_status ON items (status, light);
CREATE INDEX items_lead ON items (lead_unit_id, status, light);

CREATE TABLE item_units (
    item_id INTEGER NOT NULL REFERENCES items(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    is_lead INTEGER NOT NULL,
    PRIMARY KEY (item_id, unit_id)
);
CREATE INDEX item_units_unit ON item_units (unit_id, item_id);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor_id INTEGER NOT NULL,
    action TEXT NOT NULL,
    comment TEXT,
    before_json TEXT NOT NULL,
    after_json TEXT NOT NULL,
    UNIQUE (item_id, seq)
);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    digest TEXT NOT NULL,
    uploaded_by INTEGER NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX attachments_item ON attachments (item_id, id);

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    ip TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TABLE calendar_years (
    year INTEGER PRIMARY KEY,
    body TEXT NOT NULL
);
