package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Airflow's class reference; for Weft the operator type id and the plugin that provides it. */
public record ClassReference(@JsonProperty("module_path") String modulePath,
                             @JsonProperty("class_name") String className) {
}
