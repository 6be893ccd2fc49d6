package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Weft only ({@code GET /api/v1/weft/dags/{dag_id}/grid}): the data of a DAG's grid view, compactly. {@code dagRuns}
 * are the newest runs in chronological order (oldest first, as the grid's columns); each task has one state per run,
 * in the same order ({@code null}: no status yet, or no task instance in that run).
 */
public record GridData(@JsonProperty("dag_id") String dagId,
                       @JsonProperty("dag_runs") List<Run> dagRuns,
                       @JsonProperty("tasks") List<TaskRow> tasks) {

    public record Run(@JsonProperty("dag_run_id") String dagRunId,
                      @JsonProperty("state") String state,
                      @JsonProperty("run_type") String runType,
                      @JsonProperty("logical_date") String logicalDate,
                      @JsonProperty("data_interval_start") String dataIntervalStart,
                      @JsonProperty("data_interval_end") String dataIntervalEnd,
                      @JsonProperty("start_date") String startDate,
                      @JsonProperty("end_date") String endDate) {
    }

    /** A task's states per run; {@code tryNumbers} likewise (0 where there is no task instance). */
    public record TaskRow(@JsonProperty("task_id") String taskId,
                          @JsonProperty("states") List<String> states,
                          @JsonProperty("try_numbers") List<Integer> tryNumbers) {
    }
}
