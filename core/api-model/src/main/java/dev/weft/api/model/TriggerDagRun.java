package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * The body of {@code POST /api/v1/dags/{dag_id}/dagRuns}; every field is optional. Dates are ISO-8601 strings with
 * an offset; {@code execution_date} is the deprecated name of {@code logical_date}.
 */
public record TriggerDagRun(@JsonProperty("dag_run_id") String dagRunId,
                            @JsonProperty("logical_date") String logicalDate,
                            @JsonProperty("execution_date") String executionDate,
                            @JsonProperty("data_interval_start") String dataIntervalStart,
                            @JsonProperty("data_interval_end") String dataIntervalEnd,
                            @JsonProperty("conf") Map<String, Object> conf,
                            @JsonProperty("note") String note) {
}
