package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * Weft only: the body of {@code POST /api/v1/weft/dags/{dag_id}/backfills}. The dates bound the logical dates, both
 * included; {@code dry_run} (default false) only reports what would be done; {@code conf} is the conf of the runs
 * created.
 */
public record BackfillBody(@JsonProperty("start_date") String startDate,
                           @JsonProperty("end_date") String endDate,
                           @JsonProperty("reset_dag_runs") Boolean resetDagRuns,
                           @JsonProperty("rerun_failed_tasks") Boolean rerunFailedTasks,
                           @JsonProperty("dry_run") Boolean dryRun,
                           @JsonProperty("conf") Map<String, Object> conf) {
}
