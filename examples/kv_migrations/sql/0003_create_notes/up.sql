-- Runs on SQL engines only, after the two code migrations (app_migrations.cpp).
CREATE TABLE notes (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    user_key VARCHAR(64) NOT NULL,
    body TEXT NOT NULL
);
