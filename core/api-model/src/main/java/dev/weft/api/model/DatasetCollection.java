package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

public record DatasetCollection(@JsonProperty("datasets") List<Dataset> datasets,
                                @JsonProperty("total_entries") long totalEntries) {
}
