package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

public record QueuedEventCollection(@JsonProperty("datasets") List<QueuedEvent> datasets,
                                    @JsonProperty("total_entries") long totalEntries) {
}
