package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

public record VariableCollection(@JsonProperty("variables") List<VariableCollectionItem> variables,
                                 @JsonProperty("total_entries") long totalEntries) {
}
