package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

public record DatasetEventCollection(@JsonProperty("dataset_events") List<DatasetEvent> datasetEvents,
                                     @JsonProperty("total_entries") long totalEntries) {
}
