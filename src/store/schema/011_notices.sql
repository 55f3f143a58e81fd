-- 011: printed documents (issue 5, part 3).
--
-- notices: the numbers of the 督办通知单 (城东督办〔2026〕第N号), one per item and
-- colour (grade 0 blue, 1 yellow, 2 red), numbered per year in the order they are
-- issued. A number is given once, on the first print of that colour, and kept:
-- printing again shows the same number. UNIQUE (year, seq) makes two servers
-- sharing one database (issue 6) unable to give one number twice: the loser of
-- a race fails its transaction instead.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    grade INTEGER NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    issued_on INTEGER NOT NULL,
    issued_by INTEGER NOT NULL,
    UNIQUE (item_id, grade),
    UNIQUE (year, seq)
);

-- The bulletin's "what happened in the period": events of a few actions within a
-- time range, read from this index instead of a scan of every event.
CREATE INDEX events_action_at ON events (action, at);
