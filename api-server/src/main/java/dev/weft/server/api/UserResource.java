package dev.weft.server.api;

import dev.weft.api.model.User;
import dev.weft.api.model.UserBody;
import dev.weft.api.model.UserCollection;
import dev.weft.engine.store.UserStore;
import dev.weft.engine.auth.PasswordHasher;
import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Authenticator;
import dev.weft.engine.auth.Role;
import dev.weft.engine.auth.Sessions;
import dev.weft.server.errors.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Users (Admin only). Each Weft user has exactly one role; passwords are stored as bcrypt hashes. */
@Path("/api/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UserResource {
    private static final Set<String> FIELDS = Set.of("first_name", "last_name", "email", "roles", "password");
    private static final Map<String, Comparator<User>> ORDER = Map.of(
            "username", Comparator.comparing(User::username),
            "first_name", Comparator.comparing(User::firstName, Comparator.nullsFirst(Comparator.naturalOrder())),
            "last_name", Comparator.comparing(User::lastName, Comparator.nullsFirst(Comparator.naturalOrder())),
            "email", Comparator.comparing(User::email, Comparator.nullsFirst(Comparator.naturalOrder())));

    private final UserStore users;
    private final Authenticator authenticator;
    private final Sessions sessions;

    public UserResource(UserStore users, Authenticator authenticator, Sessions sessions) {
        this.users = users;
        this.authenticator = authenticator;
        this.sessions = sessions;
    }

    @GET
    @Allowed(Role.ADMIN)
    public UserCollection list(@QueryParam("limit") String limit, @QueryParam("offset") String offset,
                               @QueryParam("order_by") String orderBy) {
        var paging = Params.paging(Params.limit(limit), Params.offset(offset), orderBy, ORDER.keySet(), "username");
        Comparator<User> order = ORDER.get(paging.sort());
        List<User> all = users.list().stream().map(ApiMapper::user)
                .sorted(paging.descending() ? order.reversed() : order).toList();
        return new UserCollection(all.stream().skip(paging.offset()).limit(paging.limit()).toList(), all.size());
    }

    @POST
    @Allowed(Role.ADMIN)
    public User create(UserBody body) {
        Params.body(body);
        List<String> missing = new ArrayList<>();
        for (var field : List.of(Map.entry("username", Objects.toString(body.username(), "")),
                Map.entry("email", Objects.toString(body.email(), "")),
                Map.entry("password", Objects.toString(body.password(), "")))) {
            if (field.getValue().isEmpty()) {
                missing.add("'" + field.getKey() + "'");
            }
        }
        if (body.roles() == null) {
            missing.add("'roles'");
        }
        if (!missing.isEmpty()) {
            throw ApiException.badRequest("Missing required property(ies): " + missing);
        }
        Role role = role(body.roles());
        if (users.find(body.username()).isPresent()) {
            throw ApiException.conflict("Username `" + body.username() + "` already exists. Use PATCH to update.");
        }
        checkEmailFree(body.email(), null);
        boolean created = users.create(new UserStore.User(body.username(), PasswordHasher.hash(body.password()),
                role.displayName(), body.email(), body.firstName(), body.lastName(), true, null, null, 0, null));
        if (!created) {
            throw ApiException.conflict("Username `" + body.username() + "` already exists. Use PATCH to update.");
        }
        return get(body.username());
    }

    @GET
    @Path("{username}")
    @Allowed(Role.ADMIN)
    public User get(@PathParam("username") String username) {
        return ApiMapper.user(find(username));
    }

    @PATCH
    @Path("{username}")
    @Allowed(Role.ADMIN)
    public User patch(@PathParam("username") String username, @QueryParam("update_mask") List<String> updateMask,
                      UserBody body) {
        Params.body(body);
        UserStore.User current = find(username);
        List<String> mask = Params.list(updateMask);
        if (mask != null) {
            for (String field : mask) {
                if (!FIELDS.contains(field)) {
                    throw ApiException.badRequest("'" + field + "' in update_mask is unknown");
                }
            }
        }
        if (body.username() != null && !body.username().equals(username)) {
            throw ApiException.badRequest("Weft cannot rename a user: create a new user and delete this one");
        }
        Set<String> fields = mask == null ? FIELDS : Set.copyOf(mask);
        String email = pick(fields, "email", body.email(), current.email());
        if (email != null && !email.equals(current.email())) {
            checkEmailFree(email, username);
        }
        String role = fields.contains("roles") && body.roles() != null ? role(body.roles()).displayName()
                : current.role();
        boolean newPassword = fields.contains("password") && body.password() != null && !body.password().isEmpty();
        String password = newPassword ? PasswordHasher.hash(body.password()) : current.passwordHash();
        users.update(new UserStore.User(username, password, role, email,
                pick(fields, "first_name", body.firstName(), current.firstName()),
                pick(fields, "last_name", body.lastName(), current.lastName()), current.active(), null, null, 0,
                null));
        authenticator.forget(username);
        if (newPassword) {
            sessions.closeAllOf(username);
        }
        return get(username);
    }

    @DELETE
    @Path("{username}")
    @Allowed(Role.ADMIN)
    public Response delete(@PathParam("username") String username) {
        if (!users.delete(username)) {
            throw notFound(username);
        }
        authenticator.forget(username);
        return Response.noContent().build();
    }

    private static String pick(Set<String> fields, String field, String value, String current) {
        return fields.contains(field) && value != null ? value : current;
    }

    private void checkEmailFree(String email, String except) {
        boolean taken = users.list().stream().anyMatch(u -> email.equalsIgnoreCase(u.email())
                && !u.username().equals(except));
        if (taken) {
            throw ApiException.conflict("The email `" + email + "` is already taken.");
        }
    }

    private static Role role(List<User.RoleRef> roles) {
        if (roles.size() != 1) {
            throw ApiException.badRequest("A Weft user has exactly one role: Admin, Op, User or Viewer");
        }
        String name = roles.get(0) == null ? null : roles.get(0).name();
        return Role.of(name).orElseThrow(() -> ApiException.badRequest("Unknown roles: '" + name
                + "'; known: Admin, Op, User, Viewer"));
    }

    private UserStore.User find(String username) {
        return users.find(username).orElseThrow(() -> notFound(username));
    }

    private static ApiException notFound(String username) {
        return ApiException.notFound("User not found", "The User with username `" + username + "` was not found");
    }
}
