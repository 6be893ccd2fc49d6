package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A variable with its value (the value of a sensitive key is {@code ***}); also the body of {@code POST
 * /api/v1/variables} and {@code PATCH /api/v1/variables/{variable_key}}.
 */
public record Variable(@JsonProperty("key") String key,
                       @JsonProperty("value") String value,
                       @JsonProperty("description") String description) {
}
