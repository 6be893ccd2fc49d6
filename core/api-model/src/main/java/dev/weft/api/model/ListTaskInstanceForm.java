package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** The body of {@code POST /api/v1/dags/~/dagRuns/~/taskInstances/list}. */
public record ListTaskInstanceForm(@JsonProperty("dag_ids") List<String> dagIds,
                                   @JsonProperty("dag_run_ids") List<String> dagRunIds,
                                   @JsonProperty("task_ids") List<String> taskIds,
                                   @JsonProperty("execution_date_gte") String executionDateGte,
                                   @JsonProperty("execution_date_lte") String executionDateLte,
                                   @JsonProperty("start_date_gte") String startDateGte,
                                   @JsonProperty("start_date_lte") String startDateLte,
                                   @JsonProperty("end_date_gte") String endDateGte,
                                   @JsonProperty("end_date_lte") String endDateLte,
                                   @JsonProperty("duration_gte") Double durationGte,
                                   @JsonProperty("duration_lte") Double durationLte,
                                   @JsonProperty("state") List<String> state,
                                   @JsonProperty("pool") List<String> pool,
                                   @JsonProperty("queue") List<String> queue,
                                   @JsonProperty("executor") List<String> executor) {
}
