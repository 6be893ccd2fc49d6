package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

public record DagRunCollection(@JsonProperty("dag_runs") List<DagRun> dagRuns,
                               @JsonProperty("total_entries") long totalEntries) {
}
