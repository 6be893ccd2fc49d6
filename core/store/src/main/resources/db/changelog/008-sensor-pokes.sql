--liquibase formatted sql

--changeset weft:008-sensor-pokes
-- A waiting reschedule-mode sensor writes its task instance twice per poke (claimed, written back) and nothing else:
-- its reschedule history and its repeated log answers are counted on the task instance while its try waits.
-- try_pokes: the current try's pokes that answered "not yet" (0 once the try stops rescheduling);
-- try_first_poke_at: the start of the first of them; last_reschedule_at: the end of the latest.
-- log_digest: a digest of the log lines of the latest poke written to task_log; log_repeats: pokes since then whose
-- lines were the same and were counted instead of written (the log shows them as one summary line).
ALTER TABLE task_instance ADD COLUMN try_pokes INT NOT NULL DEFAULT 0;
ALTER TABLE task_instance ADD COLUMN try_first_poke_at TIMESTAMPTZ;
ALTER TABLE task_instance ADD COLUMN last_reschedule_at TIMESTAMPTZ;
ALTER TABLE task_instance ADD COLUMN log_digest TEXT;
ALTER TABLE task_instance ADD COLUMN log_repeats INT NOT NULL DEFAULT 0;
-- One row per try that rescheduled, written when the try stops rescheduling: start_date is its first poke's start,
-- end_date its last rescheduled poke's end, reschedule_date when the poke that followed began. Older rows are one
-- per poke (poke_count 1).
ALTER TABLE task_reschedule ADD COLUMN poke_count INT NOT NULL DEFAULT 1;
