package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of {@code POST .../dagRuns/{dag_run_id}/clear}; {@code dry_run} defaults to true. */
public record ClearDagRun(@JsonProperty("dry_run") Boolean dryRun) {
}
