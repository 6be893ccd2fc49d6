package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of {@code PATCH /api/v1/dags/{dag_id}}: only {@code is_paused} may change. */
public record DagPatch(@JsonProperty("is_paused") Boolean isPaused) {
}
