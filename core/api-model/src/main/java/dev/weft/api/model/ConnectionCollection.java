package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

public record ConnectionCollection(@JsonProperty("connections") List<ConnectionCollectionItem> connections,
                                   @JsonProperty("total_entries") long totalEntries) {
}
