package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

public record DagCollection(@JsonProperty("dags") List<Dag> dags, @JsonProperty("total_entries") long totalEntries) {
}
