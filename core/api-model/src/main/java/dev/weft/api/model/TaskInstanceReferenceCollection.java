package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

public record TaskInstanceReferenceCollection(
        @JsonProperty("task_instances") List<TaskInstanceReference> taskInstances) {
}
