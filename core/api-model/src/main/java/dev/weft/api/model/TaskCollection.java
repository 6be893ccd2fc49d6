package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

public record TaskCollection(@JsonProperty("tasks") List<Task> tasks) {
}
