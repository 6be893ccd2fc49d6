package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

public record UserCollection(@JsonProperty("users") List<User> users,
                             @JsonProperty("total_entries") long totalEntries) {
}
