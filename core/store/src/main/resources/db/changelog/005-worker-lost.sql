--liquibase formatted sql

--changeset weft:005-worker-lost-at
-- When a scheduler declared the worker lost and took its tries over. A lost worker's heartbeat changes nothing: it
-- finds out, fences its tries and registers anew (which clears this).
ALTER TABLE worker ADD COLUMN lost_at TIMESTAMPTZ;
