package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of {@code PATCH .../taskInstances/{task_id}}; {@code dry_run} defaults to true. */
public record UpdateTaskInstance(@JsonProperty("dry_run") Boolean dryRun,
                                 @JsonProperty("new_state") String newState) {
}
