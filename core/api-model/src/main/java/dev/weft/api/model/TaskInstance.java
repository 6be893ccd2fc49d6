package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/** A task instance (Airflow's TaskInstance schema); {@code state} is null until the task is scheduled. */
public record TaskInstance(@JsonProperty("task_id") String taskId,
                           @JsonProperty("task_display_name") String taskDisplayName,
                           @JsonProperty("dag_id") String dagId,
                           @JsonProperty("dag_run_id") String dagRunId,
                           @JsonProperty("execution_date") String executionDate,
                           @JsonProperty("start_date") String startDate,
                           @JsonProperty("end_date") String endDate,
                           @JsonProperty("duration") Double duration,
                           @JsonProperty("state") String state,
                           @JsonProperty("try_number") int tryNumber,
                           @JsonProperty("map_index") int mapIndex,
                           @JsonProperty("max_tries") int maxTries,
                           @JsonProperty("hostname") String hostname,
                           @JsonProperty("unixname") String unixname,
                           @JsonProperty("pool") String pool,
                           @JsonProperty("pool_slots") int poolSlots,
                           @JsonProperty("queue") String queue,
                           @JsonProperty("priority_weight") Integer priorityWeight,
                           @JsonProperty("operator") String operator,
                           @JsonProperty("queued_when") String queuedWhen,
                           @JsonProperty("pid") Integer pid,
                           @JsonProperty("executor") String executor,
                           @JsonProperty("executor_config") String executorConfig,
                           @JsonProperty("sla_miss") Map<String, Object> slaMiss,
                           @JsonProperty("rendered_map_index") String renderedMapIndex,
                           @JsonProperty("rendered_fields") Map<String, Object> renderedFields,
                           @JsonProperty("trigger") Map<String, Object> trigger,
                           @JsonProperty("triggerer_job") Map<String, Object> triggererJob,
                           @JsonProperty("note") String note) {
}
