package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

public record XComCollection(@JsonProperty("xcom_entries") List<XComCollectionItem> xcomEntries,
                             @JsonProperty("total_entries") long totalEntries) {
}
