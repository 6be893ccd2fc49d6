package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A connection in a list: no password and no extra (as in Airflow, they are read one connection at a time). */
public record ConnectionCollectionItem(@JsonProperty("connection_id") String connectionId,
                                       @JsonProperty("conn_type") String connType,
                                       @JsonProperty("description") String description,
                                       @JsonProperty("host") String host,
                                       @JsonProperty("login") String login,
                                       @JsonProperty("schema") String schema,
                                       @JsonProperty("port") Integer port) {
}
