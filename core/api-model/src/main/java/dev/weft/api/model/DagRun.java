package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/** A DAG run (Airflow's DAGRun schema); {@code execution_date} repeats {@code logical_date}. */
public record DagRun(@JsonProperty("dag_run_id") String dagRunId,
                     @JsonProperty("dag_id") String dagId,
                     @JsonProperty("logical_date") String logicalDate,
                     @JsonProperty("execution_date") String executionDate,
                     @JsonProperty("start_date") String startDate,
                     @JsonProperty("end_date") String endDate,
                     @JsonProperty("data_interval_start") String dataIntervalStart,
                     @JsonProperty("data_interval_end") String dataIntervalEnd,
                     @JsonProperty("last_scheduling_decision") String lastSchedulingDecision,
                     @JsonProperty("run_type") String runType,
                     @JsonProperty("state") String state,
                     @JsonProperty("external_trigger") boolean externalTrigger,
                     @JsonProperty("conf") Map<String, Object> conf,
                     @JsonProperty("note") String note) {
}
