package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Weft only: the reply of {@code POST /api/v1/weft/dags/{dag_id}/backfills}, one entry per schedule point, oldest
 * first. {@code action} is {@code created}, {@code reused} (an existing run, left as it was) or {@code cleared} (an
 * existing run whose task instances were cleared); in a dry run, what would be done ({@code state} is null for a
 * run that would be created).
 */
public record BackfillResult(@JsonProperty("dag_id") String dagId,
                             @JsonProperty("dry_run") boolean dryRun,
                             @JsonProperty("dag_runs") List<Run> dagRuns,
                             @JsonProperty("total_entries") int totalEntries) {

    public record Run(@JsonProperty("dag_run_id") String dagRunId,
                      @JsonProperty("logical_date") String logicalDate,
                      @JsonProperty("data_interval_start") String dataIntervalStart,
                      @JsonProperty("data_interval_end") String dataIntervalEnd,
                      @JsonProperty("run_type") String runType,
                      @JsonProperty("action") String action,
                      @JsonProperty("state") String state,
                      @JsonProperty("cleared_task_instances") int clearedTaskInstances) {
    }
}
