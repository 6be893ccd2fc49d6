package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Weft only ({@code GET /api/v1/weft/dags/{dag_id}/dagRuns/{dag_run_id}/lineage}): which task try triggered a run,
 * and which runs its tasks triggered.
 */
public record RunLineage(@JsonProperty("dag_id") String dagId,
                         @JsonProperty("dag_run_id") String dagRunId,
                         @JsonProperty("clear_number") int clearNumber,
                         @JsonProperty("queued_at") String queuedAt,
                         @JsonProperty("triggered_by") TaskRef triggeredBy,
                         @JsonProperty("triggered_runs") List<RunRef> triggeredRuns) {

    public record TaskRef(@JsonProperty("dag_id") String dagId, @JsonProperty("dag_run_id") String dagRunId,
                          @JsonProperty("task_id") String taskId) {
    }

    public record RunRef(@JsonProperty("dag_id") String dagId, @JsonProperty("dag_run_id") String dagRunId,
                         @JsonProperty("triggered_by_task_id") String triggeredByTaskId) {
    }
}
