package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * A dataset event (Airflow's DatasetEvent schema): {@code source_*} name the task instance whose try made it (null
 * for an event posted from outside); {@code created_dagruns} the runs that consumed it.
 */
public record DatasetEvent(@JsonProperty("dataset_id") long datasetId,
                           @JsonProperty("dataset_uri") String datasetUri,
                           @JsonProperty("extra") Map<String, Object> extra,
                           @JsonProperty("source_dag_id") String sourceDagId,
                           @JsonProperty("source_task_id") String sourceTaskId,
                           @JsonProperty("source_run_id") String sourceRunId,
                           @JsonProperty("source_map_index") int sourceMapIndex,
                           @JsonProperty("created_dagruns") List<BasicDagRun> createdDagruns,
                           @JsonProperty("timestamp") String timestamp) {
}
