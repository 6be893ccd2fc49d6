package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of {@code POST /api/v1/pools} and {@code PATCH /api/v1/pools/{pool_name}}. */
public record PoolBody(@JsonProperty("name") String name,
                       @JsonProperty("slots") Integer slots,
                       @JsonProperty("description") String description,
                       @JsonProperty("include_deferred") Boolean includeDeferred) {
}
