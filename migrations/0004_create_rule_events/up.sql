-- An append-only log with an auto-increment key.
CREATE TABLE rule_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_id VARCHAR(36) NOT NULL,
    event VARCHAR(32) NOT NULL,
    detail TEXT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (rule_id) REFERENCES rules (id) ON DELETE CASCADE
);

CREATE INDEX ix_rule_events_rule_created ON rule_events (rule_id, created_at);
