package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of {@code POST /api/v1/dags/{dag_id}/updateTaskInstancesState}; {@code dry_run} defaults to true. */
public record UpdateTaskInstancesState(@JsonProperty("dry_run") Boolean dryRun,
                                       @JsonProperty("task_id") String taskId,
                                       @JsonProperty("execution_date") String executionDate,
                                       @JsonProperty("dag_run_id") String dagRunId,
                                       @JsonProperty("include_upstream") Boolean includeUpstream,
                                       @JsonProperty("include_downstream") Boolean includeDownstream,
                                       @JsonProperty("include_future") Boolean includeFuture,
                                       @JsonProperty("include_past") Boolean includePast,
                                       @JsonProperty("new_state") String newState) {
}
