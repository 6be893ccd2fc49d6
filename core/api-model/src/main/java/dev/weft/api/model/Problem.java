package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An error as RFC 7807 problem details ({@code application/problem+json}). {@code instance} names this occurrence
 * ({@code urn:weft:error:<id>}); the same id is in the server log.
 */
public record Problem(@JsonProperty("type") String type, @JsonProperty("title") String title,
                      @JsonProperty("status") int status, @JsonProperty("detail") String detail,
                      @JsonProperty("instance") String instance) {
}
