-- Version 7: what the war map (挂图作战) reads besides the counts of version 2.
--
-- item_months keeps, per month ("YYYY-MM" of the local timestamps), how many
-- items were assigned (交办: the month of assigned_at), closed (验收销号: of
-- closed_at) and closed on time, from the items' current state, so that the
-- dashboard's twelve-month trend over every item is a read of twelve rows and
-- not a scan. An item moves between months as its stamps change (an objection
-- clears assigned_at, a reopening gives a new one and clears closed_at); rows
-- may fall to zero and stay. Readers limited to a unit subtree are counted
-- from items directly (their share is small).
CREATE TABLE item_months (
    month TEXT PRIMARY KEY,
    opened INTEGER NOT NULL DEFAULT 0,
    closed INTEGER NOT NULL DEFAULT 0,
    on_time INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO item_months (month, opened, closed, on_time)
SELECT m, sum(o), sum(k), sum(t) FROM (
    SELECT substr(assigned_at, 1, 7) AS m, 1 AS o, 0 AS k, 0 AS t FROM items
    WHERE assigned_at IS NOT NULL
    UNION ALL
    SELECT substr(closed_at, 1, 7), 0, 1, CASE WHEN on_time = 1 THEN 1 ELSE 0 END FROM items
    WHERE closed_at IS NOT NULL
) GROUP BY m;

CREATE TRIGGER items_months_insert AFTER INSERT ON items
BEGIN
    INSERT INTO item_months (month, opened) SELECT substr(NEW.assigned_at, 1, 7), 1
    WHERE NEW.assigned_at IS NOT NULL
    ON CONFLICT (month) DO UPDATE SET opened = opened + 1;
    INSERT INTO item_months (month, closed, on_time)
    SELECT substr(NEW.closed_at, 1, 7), 1, CASE WHEN NEW.on_time = 1 THEN 1 ELSE 0 END
    WHERE NEW.closed_at IS NOT NULL
    ON CONFLICT (month) DO UPDATE SET closed = closed + 1, on_time = on_time + excluded.on_time;
END;

CREATE TRIGGER items_months_update AFTER UPDATE OF assigned_at, closed_at, on_time ON items
BEGIN
    UPDATE item_months SET opened = opened - 1
    WHERE OLD.assigned_at IS NOT NULL AND month = substr(OLD.assigned_at, 1, 7);
    INSERT INTO item_months (month, opened) SELECT substr(NEW.assigned_at, 1, 7), 1
    WHERE NEW.assigned_at IS NOT NULL
    ON CONFLICT (month) DO UPDATE SET opened = opened + 1;
    UPDATE item_months
    SET closed = closed - 1, on_time = on_time - (CASE WHEN OLD.on_time = 1 THEN 1 ELSE 0 END)
    WHERE OLD.closed_at IS NOT NULL AND month = substr(OLD.closed_at, 1, 7);
    INSERT INTO item_months (month, closed, on_time)
    SELECT substr(NEW.closed_at, 1, 7), 1, CASE WHEN NEW.on_time = 1 THEN 1 ELSE 0 END
    WHERE NEW.closed_at IS NOT NULL
    ON CONFLICT (month) DO UPDATE SET closed = closed + 1, on_time = on_time + excluded.on_time;
END;

CREATE TRIGGER items_months_delete AFTER DELETE ON items
BEGIN
    UPDATE item_months SET opened = opened - 1
    WHERE OLD.assigned_at IS NOT NULL AND month = substr(OLD.assigned_at, 1, 7);
    UPDATE item_months
    SET closed = closed - 1, on_time = on_time - (CASE WHEN OLD.on_time = 1 THEN 1 ELSE 0 END)
    WHERE OLD.closed_at IS NOT NULL AND month = substr(OLD.closed_at, 1, 7);
END;

-- The located items, for the map: a walk of this index instead of every row.
CREATE INDEX items_located ON items (id) WHERE has_location = 1;
