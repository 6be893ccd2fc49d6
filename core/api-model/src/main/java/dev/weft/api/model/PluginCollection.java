package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

public record PluginCollection(@JsonProperty("plugins") List<Plugin> plugins,
                               @JsonProperty("total_entries") long totalEntries) {
}
