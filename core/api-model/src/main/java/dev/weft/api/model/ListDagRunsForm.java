package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** The body of {@code POST /api/v1/dags/~/dagRuns/list}. */
public record ListDagRunsForm(@JsonProperty("order_by") String orderBy,
                              @JsonProperty("page_offset") Integer pageOffset,
                              @JsonProperty("page_limit") Integer pageLimit,
                              @JsonProperty("dag_ids") List<String> dagIds,
                              @JsonProperty("states") List<String> states,
                              @JsonProperty("execution_date_gte") String executionDateGte,
                              @JsonProperty("execution_date_lte") String executionDateLte,
                              @JsonProperty("start_date_gte") String startDateGte,
                              @JsonProperty("start_date_lte") String startDateLte,
                              @JsonProperty("end_date_gte") String endDateGte,
                              @JsonProperty("end_date_lte") String endDateLte) {
}
