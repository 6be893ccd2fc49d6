package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A connection; also the body of {@code POST /api/v1/connections} and {@code POST /api/v1/connections/test}. The
 * password is write-only: responses leave it out, as Airflow's do, and the extra's sensitive values read {@code ***}.
 */
public record Connection(@JsonProperty("connection_id") String connectionId,
                         @JsonProperty("conn_type") String connType,
                         @JsonProperty("description") String description,
                         @JsonProperty("host") String host,
                         @JsonProperty("login") String login,
                         @JsonProperty("schema") String schema,
                         @JsonProperty("port") Integer port,
                         @JsonProperty("password") @JsonInclude(JsonInclude.Include.NON_NULL) String password,
                         @JsonProperty("extra") String extra) {
}
