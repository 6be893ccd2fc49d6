package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The body of {@code POST /api/v1/dags/{dag_id}/clearTaskInstances}. Absent fields take Airflow's defaults:
 * {@code dry_run} and {@code only_failed} true, everything else false or unset.
 */
public record ClearTaskInstances(@JsonProperty("dry_run") Boolean dryRun,
                                 @JsonProperty("task_ids") List<String> taskIds,
                                 @JsonProperty("start_date") String startDate,
                                 @JsonProperty("end_date") String endDate,
                                 @JsonProperty("only_failed") Boolean onlyFailed,
                                 @JsonProperty("only_running") Boolean onlyRunning,
                                 @JsonProperty("include_subdags") Boolean includeSubdags,
                                 @JsonProperty("include_parentdag") Boolean includeParentdag,
                                 @JsonProperty("reset_dag_runs") Boolean resetDagRuns,
                                 @JsonProperty("dag_run_id") String dagRunId,
                                 @JsonProperty("include_upstream") Boolean includeUpstream,
                                 @JsonProperty("include_downstream") Boolean includeDownstream,
                                 @JsonProperty("include_future") Boolean includeFuture,
                                 @JsonProperty("include_past") Boolean includePast) {
}
