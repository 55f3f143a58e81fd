-- Version 2: indexes that serve the list's filters in its sort order, and the
-- dashboard's counts kept up to date by triggers instead of a scan of items.
--
-- due_key is the deadline with "no deadline" sorting last (as PostgreSQL's
-- NULLS LAST), so that ORDER BY due_key, id walks an index.
ALTER TABLE items ADD COLUMN due_key INTEGER NOT NULL DEFAULT 2147483647;
UPDATE items SET due_key = coalesce(deadline, 2147483647);

DROP INDEX items_list;
DROP INDEX items_deadline;
DROP INDEX items_light;
DROP INDEX items_status;
DROP INDEX items_lead;
CREATE INDEX items_due ON items (due_key, id);
CREATE INDEX items_status_due ON items (status, due_key, id);
CREATE INDEX items_light_due ON items (light, due_key, id);
CREATE INDEX items_ledger_due ON items (ledger, due_key, id);
CREATE INDEX items_updated ON items (updated_at, id);
CREATE INDEX items_lead ON items (lead_unit_id, status);

-- One row per (ledger, lead unit, status, light): how many items, how many of
-- them closed on time, their extensions. Rows may fall to n = 0 and stay.
CREATE TABLE item_counts (
    ledger TEXT NOT NULL,
    lead_unit_id INTEGER NOT NULL,
    status TEXT NOT NULL,
    light TEXT NOT NULL,
    n INTEGER NOT NULL,
    on_time INTEGER NOT NULL,
    extensions INTEGER NOT NULL,
    PRIMARY KEY (ledger, lead_unit_id, status, light)
) WITHOUT ROWID;
INSERT INTO item_counts (ledger, lead_unit_id, status, light, n, on_time, extensions)
SELECT ledger, coalesce(lead_unit_id, 0), status, light, count(*),
       sum(CASE WHEN on_time = 1 THEN 1 ELSE 0 END), sum(extension_count)
FROM items GROUP BY ledger, coalesce(lead_unit_id, 0), status, light;

CREATE TRIGGER items_counts_insert AFTER INSERT ON items
BEGIN
    INSERT INTO item_counts (ledger, lead_unit_id, status, light, n, on_time, extensions)
    VALUES (NEW.ledger, coalesce(NEW.lead_unit_id, 0), NEW.status, NEW.light, 1,
            CASE WHEN NEW.on_time = 1 THEN 1 ELSE 0 END, NEW.extension_count)
    ON CONFLICT (ledger, lead_unit_id, status, light) DO UPDATE
    SET n = n + 1, on_time = on_time + excluded.on_time,
        extensions = extensions + excluded.extensions;
END;

CREATE TRIGGER items_counts_update
AFTER UPDATE OF ledger, lead_unit_id, status, light, on_time, extension_count ON items
BEGIN
    UPDATE item_counts
    SET n = n - 1, on_time = on_time - (CASE WHEN OLD.on_time = 1 THEN 1 ELSE 0 END),
        extensions = extensions - OLD.extension_count
    WHERE ledger = OLD.ledger AND lead_unit_id = coalesce(OLD.lead_unit_id, 0)
      AND status = OLD.status AND light = OLD.light;
    INSERT INTO item_counts (ledger, lead_unit_id, status, light, n, on_time, extensions)
    VALUES (NEW.ledger, coalesce(NEW.lead_unit_id, 0), NEW.status, NEW.light, 1,
            CASE WHEN NEW.on_time = 1 THEN 1 ELSE 0 END, NEW.extension_count)
    ON CONFLICT (ledger, lead_unit_id, status, light) DO UPDATE
    SET n = n + 1, on_time = on_time + excluded.on_time,
        extensions = extensions + excluded.extensions;
END;

CREATE TRIGGER items_counts_delete AFTER DELETE ON items
BEGIN
    UPDATE item_counts
    SET n = n - 1, on_time = on_time - (CASE WHEN OLD.on_time = 1 THEN 1 ELSE 0 END),
        extensions = extensions - OLD.extension_count
    WHERE ledger = OLD.ledger AND lead_unit_id = coalesce(OLD.lead_unit_id, 0)
      AND status = OLD.status AND light = OLD.light;
END;
