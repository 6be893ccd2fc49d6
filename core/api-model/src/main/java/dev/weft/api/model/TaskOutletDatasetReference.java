package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A task whose outlets name a dataset. */
public record TaskOutletDatasetReference(@JsonProperty("dag_id") String dagId,
                                         @JsonProperty("task_id") String taskId,
                                         @JsonProperty("created_at") String createdAt,
                                         @JsonProperty("updated_at") String updatedAt) {
}
