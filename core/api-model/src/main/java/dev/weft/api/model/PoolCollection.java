package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

public record PoolCollection(@JsonProperty("pools") List<Pool> pools,
                             @JsonProperty("total_entries") long totalEntries) {
}
