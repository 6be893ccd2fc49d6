package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

public record RoleCollection(@JsonProperty("roles") List<Role> roles,
                             @JsonProperty("total_entries") long totalEntries) {
}
