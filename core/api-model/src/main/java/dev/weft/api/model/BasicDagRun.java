package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A run in short (Airflow's BasicDAGRun schema), e.g. one that consumed a dataset event. */
public record BasicDagRun(@JsonProperty("run_id") String runId,
                          @JsonProperty("dag_id") String dagId,
                          @JsonProperty("logical_date") String logicalDate,
                          @JsonProperty("start_date") String startDate,
                          @JsonProperty("end_date") String endDate,
                          @JsonProperty("data_interval_start") String dataIntervalStart,
                          @JsonProperty("data_interval_end") String dataIntervalEnd,
                          @JsonProperty("state") String state) {
}
