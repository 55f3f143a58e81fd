-- Version 8: the to-do list (GET /todos). Pending extension requests are found
-- without walking every item in progress.
CREATE INDEX items_ext_pending ON items (ext_pending, due_key) WHERE ext_pending = 1;
