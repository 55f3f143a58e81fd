-- Version 6: what an item reports period by period, and which items go together.
--
-- item_series holds one row per item and period ("YYYY-MM"): the monthly
-- values of an economic indicator, the samples of a monitored water section.
-- `data` is the validated JSON the ledger's series rule stores, as reported
-- (never recomputed); a later PUT of the same period replaces it.
CREATE TABLE item_series (
    item_id INTEGER NOT NULL REFERENCES items(id),
    period TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL,
    PRIMARY KEY (item_id, period)
) WITHOUT ROWID;

-- item_links: items that concern the same work (最多报一次). A link is kept in
-- both directions, so either item lists the other with one index lookup.
CREATE TABLE item_links (
    item_id INTEGER NOT NULL REFERENCES items(id),
    linked_id INTEGER NOT NULL REFERENCES items(id),
    PRIMARY KEY (item_id, linked_id)
) WITHOUT ROWID;
