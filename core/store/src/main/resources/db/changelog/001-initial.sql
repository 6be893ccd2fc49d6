--liquibase formatted sql

--changeset weft:001-dag
CREATE TABLE dag (
    dag_id                          TEXT PRIMARY KEY,
    spec                            JSONB       NOT NULL,
    spec_hash                       TEXT        NOT NULL,
    is_paused                       BOOLEAN     NOT NULL,
    is_active                       BOOLEAN     NOT NULL DEFAULT TRUE,
    fileloc                         TEXT,
    max_active_tasks                INT         NOT NULL,
    max_active_runs                 INT         NOT NULL,
    last_parsed_time                TIMESTAMPTZ,
    next_dagrun                     TIMESTAMPTZ,
    next_dagrun_data_interval_start TIMESTAMPTZ,
    next_dagrun_data_interval_end   TIMESTAMPTZ,
    next_dagrun_create_after        TIMESTAMPTZ,
    -- The next run must be recomputed: the spec changed, the DAG was unpaused or just registered.
    next_run_stale                  BOOLEAN     NOT NULL DEFAULT TRUE,
    created_at                      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX dag_due ON dag (next_dagrun_create_after) WHERE is_active AND NOT is_paused;
CREATE INDEX dag_stale ON dag (dag_id) WHERE next_run_stale;

--changeset weft:001-dag-run
CREATE TABLE dag_run (
    id                       BIGSERIAL PRIMARY KEY,
    dag_id                   TEXT        NOT NULL REFERENCES dag (dag_id) ON DELETE CASCADE,
    run_id                   TEXT        NOT NULL,
    run_type                 TEXT        NOT NULL,
    logical_date             TIMESTAMPTZ NOT NULL,
    data_interval_start      TIMESTAMPTZ,
    data_interval_end        TIMESTAMPTZ,
    state                    TEXT        NOT NULL,
    external_trigger         BOOLEAN     NOT NULL,
    conf                     JSONB       NOT NULL DEFAULT '{}',
    note                     TEXT,
    queued_at                TIMESTAMPTZ,
    start_date               TIMESTAMPTZ,
    end_date                 TIMESTAMPTZ,
    last_scheduling_decision TIMESTAMPTZ,
    clear_number             INT         NOT NULL DEFAULT 0,
    -- Set whenever one of its task instances changes, cleared by the scheduler before it examines the run.
    needs_scheduling         BOOLEAN     NOT NULL DEFAULT TRUE,
    triggered_by_dag_id      TEXT,
    triggered_by_run_id      TEXT,
    triggered_by_task_id     TEXT,
    updated_at               TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT dag_run_run_id_key UNIQUE (dag_id, run_id),
    CONSTRAINT dag_run_logical_date_key UNIQUE (dag_id, logical_date)
);
CREATE INDEX dag_run_active ON dag_run (dag_id, logical_date) WHERE state IN ('queued', 'running');
CREATE INDEX dag_run_dirty ON dag_run (id) WHERE needs_scheduling AND state = 'running';

--changeset weft:001-task-instance
CREATE TABLE task_instance (
    id               BIGSERIAL PRIMARY KEY,
    run_pk           BIGINT      NOT NULL REFERENCES dag_run (id) ON DELETE CASCADE,
    dag_id           TEXT        NOT NULL,
    run_id           TEXT        NOT NULL,
    task_id          TEXT        NOT NULL,
    state            TEXT        NOT NULL DEFAULT 'none',
    try_number       INT         NOT NULL DEFAULT 0,
    max_tries        INT         NOT NULL,
    priority_weight  INT         NOT NULL,
    pool             TEXT        NOT NULL,
    pool_slots       INT         NOT NULL,
    operator         TEXT        NOT NULL,
    -- Logical date of the run, copied so queueing orders older runs first without a join.
    logical_date     TIMESTAMPTZ NOT NULL,
    queued_at        TIMESTAMPTZ,
    start_date       TIMESTAMPTZ,
    end_date         TIMESTAMPTZ,
    duration         DOUBLE PRECISION,
    -- When an up_for_retry or up_for_reschedule task may be scheduled again.
    next_attempt_at  TIMESTAMPTZ,
    worker_id        TEXT,
    hostname         TEXT,
    first_poke_at    TIMESTAMPTZ,
    poke_count       INT         NOT NULL DEFAULT 0,
    sensor_memo      JSONB,
    output           JSONB,
    plugin           TEXT,
    plugin_version   TEXT,
    note             TEXT,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT task_instance_run_task_key UNIQUE (run_pk, task_id)
);
CREATE INDEX ti_dag_run ON task_instance (dag_id, run_id);
CREATE INDEX ti_scheduled ON task_instance (logical_date, priority_weight DESC, id) WHERE state = 'scheduled';
CREATE INDEX ti_queued ON task_instance (logical_date, priority_weight DESC, id) WHERE state = 'queued';
CREATE INDEX ti_waiting ON task_instance (next_attempt_at) WHERE state IN ('up_for_retry', 'up_for_reschedule');
CREATE INDEX ti_active ON task_instance (dag_id, pool) WHERE state IN ('queued', 'running');

--changeset weft:001-task-try
-- One row per try: the history of a task instance (Airflow's task_instance_history), with the plugin that ran it.
CREATE TABLE task_try (
    ti_id          BIGINT      NOT NULL REFERENCES task_instance (id) ON DELETE CASCADE,
    try_number     INT         NOT NULL,
    state          TEXT        NOT NULL,
    start_date     TIMESTAMPTZ,
    end_date       TIMESTAMPTZ,
    duration       DOUBLE PRECISION,
    hostname       TEXT,
    worker_id      TEXT,
    operator       TEXT,
    plugin         TEXT,
    plugin_version TEXT,
    PRIMARY KEY (ti_id, try_number)
);

--changeset weft:001-task-reschedule
CREATE TABLE task_reschedule (
    id              BIGSERIAL PRIMARY KEY,
    ti_id           BIGINT      NOT NULL REFERENCES task_instance (id) ON DELETE CASCADE,
    try_number      INT         NOT NULL,
    start_date      TIMESTAMPTZ NOT NULL,
    end_date        TIMESTAMPTZ NOT NULL,
    duration        DOUBLE PRECISION NOT NULL,
    reschedule_date TIMESTAMPTZ NOT NULL
);
CREATE INDEX task_reschedule_ti ON task_reschedule (ti_id, try_number);

--changeset weft:001-task-log
CREATE TABLE task_log (
    id         BIGSERIAL PRIMARY KEY,
    ti_id      BIGINT      NOT NULL REFERENCES task_instance (id) ON DELETE CASCADE,
    try_number INT         NOT NULL,
    logged_at  TIMESTAMPTZ NOT NULL,
    line       TEXT        NOT NULL
);
CREATE INDEX task_log_try ON task_log (ti_id, try_number, id);

--changeset weft:001-pool
CREATE TABLE pool (
    name             TEXT PRIMARY KEY,
    slots            INT     NOT NULL,
    description      TEXT,
    include_deferred BOOLEAN NOT NULL DEFAULT FALSE
);
INSERT INTO pool (name, slots, description) VALUES ('default_pool', 128, 'Default pool');

--changeset weft:001-worker
CREATE TABLE worker (
    worker_id    TEXT PRIMARY KEY,
    hostname     TEXT        NOT NULL,
    pid          BIGINT      NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL,
    heartbeat_at TIMESTAMPTZ NOT NULL,
    stopped_at   TIMESTAMPTZ
);

--changeset weft:001-import-error
CREATE TABLE import_error (
    id          BIGSERIAL PRIMARY KEY,
    filename    TEXT        NOT NULL,
    stack_trace TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

--changeset weft:001-user
CREATE TABLE weft_user (
    username      TEXT PRIMARY KEY,
    password_hash TEXT        NOT NULL,
    role          TEXT        NOT NULL,
    email         TEXT,
    first_name    TEXT,
    last_name     TEXT,
    active        BOOLEAN     NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    changed_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    failed_logins INT         NOT NULL DEFAULT 0,
    locked_until  TIMESTAMPTZ
);
