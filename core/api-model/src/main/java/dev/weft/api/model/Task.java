package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** A task of a DAG ({@code GET /api/v1/dags/{dag_id}/tasks/{task_id}}). */
public record Task(@JsonProperty("class_ref") ClassReference classRef,
                   @JsonProperty("task_id") String taskId,
                   @JsonProperty("task_display_name") String taskDisplayName,
                   @JsonProperty("owner") String owner,
                   @JsonProperty("start_date") String startDate,
                   @JsonProperty("end_date") String endDate,
                   @JsonProperty("trigger_rule") String triggerRule,
                   @JsonProperty("extra_links") List<Map<String, Object>> extraLinks,
                   @JsonProperty("depends_on_past") boolean dependsOnPast,
                   @JsonProperty("is_mapped") boolean isMapped,
                   @JsonProperty("wait_for_downstream") boolean waitForDownstream,
                   @JsonProperty("retries") int retries,
                   @JsonProperty("queue") String queue,
                   @JsonProperty("executor") String executor,
                   @JsonProperty("pool") String pool,
                   @JsonProperty("pool_slots") int poolSlots,
                   @JsonProperty("execution_timeout") TimeDelta executionTimeout,
                   @JsonProperty("retry_delay") TimeDelta retryDelay,
                   @JsonProperty("retry_exponential_backoff") boolean retryExponentialBackoff,
                   @JsonProperty("priority_weight") int priorityWeight,
                   @JsonProperty("weight_rule") String weightRule,
                   @JsonProperty("ui_color") String uiColor,
                   @JsonProperty("ui_fgcolor") String uiFgcolor,
                   @JsonProperty("template_fields") List<String> templateFields,
                   @JsonProperty("downstream_task_ids") List<String> downstreamTaskIds,
                   @JsonProperty("doc_md") String docMd) {
}
