package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

public record Tag(@JsonProperty("name") String name) {
}
