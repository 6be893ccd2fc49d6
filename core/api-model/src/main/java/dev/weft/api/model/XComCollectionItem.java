package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** An XCom without its value (lists leave values out, as they may be large). */
public record XComCollectionItem(@JsonProperty("key") String key,
                                 @JsonProperty("timestamp") String timestamp,
                                 @JsonProperty("execution_date") String executionDate,
                                 @JsonProperty("map_index") int mapIndex,
                                 @JsonProperty("task_id") String taskId,
                                 @JsonProperty("dag_id") String dagId) {
}
