-- Version 3: the deadline order per unit. item_units carries each item's
-- due_key (kept in step by a trigger), and an index walks one unit's items in
-- deadline order, so a list filtered by a unit reads its page, not every item
-- of the unit.
ALTER TABLE item_units ADD COLUMN due_key INTEGER NOT NULL DEFAULT 2147483647;
UPDATE item_units SET due_key = (SELECT due_key FROM items WHERE items.id = item_units.item_id);
DROP INDEX item_units_unit;
CREATE INDEX item_units_unit_due ON item_units (unit_id, due_key, item_id);

CREATE TRIGGER items_due_units AFTER UPDATE OF due_key ON items
BEGIN
    UPDATE item_units SET due_key = NEW.due_key WHERE item_id = NEW.id;
END;
