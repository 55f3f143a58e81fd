-- Version 5: Chinese full-text search over items and policies. FTS5 with the
-- trigram tokenizer finds any substring of three or more characters (生态修复
-- in 湟水河生态修复); shorter queries are answered with instr() on the same
-- text. The text is written by the server with each item change, and holds no
-- protected personal data (a petitioner's name and contact are never indexed).
CREATE VIRTUAL TABLE item_search USING fts5(title, body, tokenize = 'trigram');
