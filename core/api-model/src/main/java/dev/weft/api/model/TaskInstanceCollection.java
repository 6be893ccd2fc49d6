package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

public record TaskInstanceCollection(@JsonProperty("task_instances") List<TaskInstance> taskInstances,
                                     @JsonProperty("total_entries") long totalEntries) {
}
