--liquibase formatted sql

--changeset weft:006-dag-bundle
-- Each version of a DAG bundle jar the DAG processor read, so a worker on another machine can run its callables.
-- version is the SHA-256 of content in hex: a worker checks what it fetched against it.
CREATE TABLE dag_bundle (
    name      TEXT        NOT NULL,
    version   TEXT        NOT NULL,
    content   BYTEA       NOT NULL,
    size      BIGINT      NOT NULL,
    stored_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (name, version)
);

--changeset weft:006-dag-bundles-column
-- The bundle versions a DAG's callables resolve through: its own bundle, or for a DAG file the folder's bundles in
-- the order they are searched ([{"name": …, "version": …}]). Empty: the code is on the class path.
ALTER TABLE dag ADD COLUMN bundles JSONB NOT NULL DEFAULT '[]';
