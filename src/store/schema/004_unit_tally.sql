-- Version 4: what happens to a unit, counted where it happens. One row per
-- objection (异议退回, against the lead unit), reminder (催办), 督办 and
-- approved extension an item's lead unit receives, stamped with the business
-- month, for the per-unit scorecard and the burden meter (DOMAIN 9.3).
CREATE TABLE unit_tally (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    item_id INTEGER NOT NULL REFERENCES items(id),
    kind TEXT NOT NULL,
    month TEXT NOT NULL
);
CREATE INDEX unit_tally_unit ON unit_tally (unit_id, kind, month);
CREATE INDEX unit_tally_month ON unit_tally (month, unit_id, kind);
