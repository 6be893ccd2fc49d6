package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A dataset a DAG has unconsumed events of, since the first of them (Airflow's QueuedEvent schema). */
public record QueuedEvent(@JsonProperty("uri") String uri,
                          @JsonProperty("dag_id") String dagId,
                          @JsonProperty("created_at") String createdAt) {
}
