package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** A role with its permissions as (action, resource) pairs, as Airflow lists them. */
public record Role(@JsonProperty("name") String name, @JsonProperty("actions") List<ActionResource> actions) {

    public record ActionResource(@JsonProperty("action") Named action, @JsonProperty("resource") Named resource) {
    }

    public record Named(@JsonProperty("name") String name) {
    }
}
