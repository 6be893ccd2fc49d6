package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** The body of {@code POST /api/v1/users} and {@code PATCH /api/v1/users/{username}}. */
public record UserBody(@JsonProperty("first_name") String firstName,
                       @JsonProperty("last_name") String lastName,
                       @JsonProperty("username") String username,
                       @JsonProperty("email") String email,
                       @JsonProperty("roles") List<User.RoleRef> roles,
                       @JsonProperty("password") String password) {
}
