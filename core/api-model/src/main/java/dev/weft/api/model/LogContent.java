package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A chunk of a task try's log. Pass {@code continuation_token} back as {@code token} to read on from where this
 * chunk ended.
 */
public record LogContent(@JsonProperty("continuation_token") String continuationToken,
                         @JsonProperty("content") String content) {
}
