package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * Weft only ({@code GET /api/v1/weft/dependencies}): every DAG, the links to other DAGs its tasks declare, by kind,
 * and its last run; what the UI's dependencies page draws.
 */
public record DependencyGraph(@JsonProperty("dags") List<DagNode> dags,
                              @JsonProperty("total_entries") int totalEntries) {

    /**
     * @param edges by kind ({@code trigger}, {@code external_sensor}, {@code dataset}), the links this DAG's tasks
     *              declare
     */
    public record DagNode(@JsonProperty("dag_id") String dagId,
                          @JsonProperty("is_paused") boolean paused,
                          @JsonProperty("last_dag_run") LastRun lastDagRun,
                          @JsonProperty("edges") Map<String, List<Edge>> edges) {
    }

    public record LastRun(@JsonProperty("dag_run_id") String dagRunId,
                          @JsonProperty("logical_date") String logicalDate,
                          @JsonProperty("state") String state) {
    }

    /**
     * One task's link to another DAG. A DAG named by a template is known only when the task runs: its end is null
     * and {@code templated} true, with the template in {@code reference}.
     *
     * @param externalTaskIds the tasks an external sensor waits for; empty when it waits for the whole run
     * @param dataset         the dataset's URI, for a dataset link (an outlet of this DAG's task that the other DAG is
     *                        scheduled on)
     */
    public record Edge(@JsonProperty("task_id") String taskId,
                       @JsonProperty("upstream_dag_id") String upstreamDagId,
                       @JsonProperty("downstream_dag_id") String downstreamDagId,
                       @JsonProperty("templated") boolean templated,
                       @JsonProperty("reference") String reference,
                       @JsonProperty("external_task_ids") List<String> externalTaskIds,
                       @JsonProperty("dataset") String dataset) {
    }
}
