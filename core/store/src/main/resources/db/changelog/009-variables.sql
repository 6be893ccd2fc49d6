--liquibase formatted sql

--changeset weft:009-variables
-- Airflow's Variables. Every value is stored encrypted (AES-256-GCM with a key derived from the server's secretKey,
-- 'v1:<base64>'), sensitive or not: one rule, nothing to decide per row.
CREATE TABLE variable (
    key             TEXT PRIMARY KEY,
    encrypted_value TEXT        NOT NULL,
    description     TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
