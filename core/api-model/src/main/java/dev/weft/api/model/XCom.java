package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An XCom with its value: as Python's {@code str()} of it by default ({@code stringify=true}), else as the JSON that
 * was stored.
 */
public record XCom(@JsonProperty("key") String key,
                   @JsonProperty("timestamp") String timestamp,
                   @JsonProperty("execution_date") String executionDate,
                   @JsonProperty("map_index") int mapIndex,
                   @JsonProperty("task_id") String taskId,
                   @JsonProperty("dag_id") String dagId,
                   @JsonProperty("value") Object value) {
}
