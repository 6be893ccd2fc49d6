package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A DAG definition that could not be registered: where it came from and why. */
public record ImportError(@JsonProperty("import_error_id") long importErrorId,
                          @JsonProperty("timestamp") String timestamp,
                          @JsonProperty("filename") String filename,
                          @JsonProperty("stack_trace") String stackTrace) {
}
