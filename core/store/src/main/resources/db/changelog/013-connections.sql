--liquibase formatted sql

--changeset weft:013-connections
-- Airflow's Connections. The password and the extra are stored encrypted (AES-256-GCM with a key derived from the
-- server's secretKey, 'v1:<base64>'); the other fields stay in clear so lists can show and sort them. id gives
-- Airflow's default order (by creation).
CREATE TABLE connection (
    id                 BIGSERIAL   NOT NULL UNIQUE,
    conn_id            TEXT PRIMARY KEY,
    conn_type          TEXT        NOT NULL,
    description        TEXT,
    host               TEXT,
    schema             TEXT,
    login              TEXT,
    encrypted_password TEXT,
    port               INTEGER,
    encrypted_extra    TEXT,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
