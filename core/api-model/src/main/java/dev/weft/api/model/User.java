package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** A user as the API shows it (Airflow's UserCollectionItem); never with a password. */
public record User(@JsonProperty("first_name") String firstName,
                   @JsonProperty("last_name") String lastName,
                   @JsonProperty("username") String username,
                   @JsonProperty("email") String email,
                   @JsonProperty("active") Boolean active,
                   @JsonProperty("last_login") String lastLogin,
                   @JsonProperty("login_count") Integer loginCount,
                   @JsonProperty("failed_login_count") Integer failedLoginCount,
                   @JsonProperty("roles") List<RoleRef> roles,
                   @JsonProperty("created_on") String createdOn,
                   @JsonProperty("changed_on") String changedOn) {

    public record RoleRef(@JsonProperty("name") String name) {
    }
}
