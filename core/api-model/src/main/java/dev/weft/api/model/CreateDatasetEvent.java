package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * The body of {@code POST /api/v1/datasets/events}. {@code extra.dedup_key} is Weft's idempotency key: posting an
 * event with a key the dataset already has an event for returns that event and records nothing.
 */
public record CreateDatasetEvent(@JsonProperty("dataset_uri") String datasetUri,
                                 @JsonProperty("extra") Map<String, Object> extra) {
}
