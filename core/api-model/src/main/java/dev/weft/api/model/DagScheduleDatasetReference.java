package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A DAG scheduled on a dataset. */
public record DagScheduleDatasetReference(@JsonProperty("dag_id") String dagId,
                                          @JsonProperty("created_at") String createdAt,
                                          @JsonProperty("updated_at") String updatedAt) {
}
