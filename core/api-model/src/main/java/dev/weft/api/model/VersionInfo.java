package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

public record VersionInfo(@JsonProperty("version") String version, @JsonProperty("git_version") String gitVersion) {
}
