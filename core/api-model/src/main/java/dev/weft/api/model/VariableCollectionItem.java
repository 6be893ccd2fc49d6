package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A variable in a list: no value (as in Airflow, values are read one variable at a time). */
public record VariableCollectionItem(@JsonProperty("key") String key,
                                     @JsonProperty("description") String description) {
}
