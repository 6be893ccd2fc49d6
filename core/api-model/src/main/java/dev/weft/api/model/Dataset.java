package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** A dataset (Airflow's Dataset schema) with the DAGs scheduled on it and the tasks that update it. */
public record Dataset(@JsonProperty("id") long id,
                      @JsonProperty("uri") String uri,
                      @JsonProperty("extra") Map<String, Object> extra,
                      @JsonProperty("created_at") String createdAt,
                      @JsonProperty("updated_at") String updatedAt,
                      @JsonProperty("consuming_dags") List<DagScheduleDatasetReference> consumingDags,
                      @JsonProperty("producing_tasks") List<TaskOutletDatasetReference> producingTasks) {
}
