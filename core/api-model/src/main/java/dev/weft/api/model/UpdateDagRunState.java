package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of {@code PATCH .../dagRuns/{dag_run_id}}: {@code success}, {@code failed} or {@code queued}. */
public record UpdateDagRunState(@JsonProperty("state") String state) {
}
