package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The answer of {@code POST /api/v1/connections/test}: whether the service answered, and what it said. */
public record ConnectionTest(@JsonProperty("status") boolean status, @JsonProperty("message") String message) {
}
