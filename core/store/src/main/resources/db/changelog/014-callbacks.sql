--liquibase formatted sql

--changeset weft:014-callbacks
-- Callbacks waiting to run (Airflow's callback_request): written in the transaction that writes the try's outcome or
-- the run's state, deleted once they ran. claimed_by/claimed_until is a lease: a worker that dies while running one
-- leaves it to be claimed again once the lease runs out (at least once; twice only after such a death).
CREATE TABLE callback_request (
    id            BIGSERIAL PRIMARY KEY,
    run_pk        BIGINT      NOT NULL REFERENCES dag_run (id) ON DELETE CASCADE,
    ti_id         BIGINT      REFERENCES task_instance (id) ON DELETE CASCADE,
    try_number    INTEGER     NOT NULL,
    dag_id        TEXT        NOT NULL,
    run_id        TEXT        NOT NULL,
    task_id       TEXT,
    event         TEXT        NOT NULL,
    state         TEXT        NOT NULL,
    error         TEXT,
    callbacks     JSONB       NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    claimed_by    TEXT,
    claimed_until TIMESTAMPTZ
);
