--liquibase formatted sql

--changeset weft:016-xcom-secrets
-- The secrets (values of sensitive variables, connections' passwords) that a try had read and that its XCom contains,
-- as one encrypted JSON list, NULL when none: the value stays as it was returned, for the tasks that pull it, and
-- every place that shows it masks them. A pushed XCom's are in its row; a return value's beside the task instance's
-- output, cleared with it when a try is claimed.
ALTER TABLE xcom ADD COLUMN secrets TEXT;
ALTER TABLE task_instance ADD COLUMN output_secrets TEXT;
