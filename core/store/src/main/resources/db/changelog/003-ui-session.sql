--liquibase formatted sql

--changeset weft:003-ui-session
-- Web UI login sessions: the SHA-256 of the cookie's token (never the token), the user, the CSRF token.
CREATE TABLE ui_session (
    token_hash TEXT PRIMARY KEY,
    username   TEXT        NOT NULL REFERENCES weft_user (username) ON DELETE CASCADE,
    csrf_token TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ui_session_expires ON ui_session (expires_at);
CREATE INDEX ui_session_user ON ui_session (username);
