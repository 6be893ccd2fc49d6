package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

public record TaskInstanceReference(@JsonProperty("task_id") String taskId, @JsonProperty("dag_id") String dagId,
                                    @JsonProperty("execution_date") String executionDate,
                                    @JsonProperty("dag_run_id") String dagRunId) {
}
