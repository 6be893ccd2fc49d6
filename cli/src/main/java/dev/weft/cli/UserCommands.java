package dev.weft.cli;

import dev.weft.api.model.User;
import dev.weft.api.model.UserCollection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code weft users list|create}. */
final class UserCommands {
    static final WeftCli.Noun NOUN = new WeftCli.Noun(Users.class, List.of(List_.class, Create.class));

    private UserCommands() {
    }

    @Command(name = "users", description = "Users of the server (Admin role needed).", mixinStandardHelpOptions = true)
    static final class Users extends GroupCommand {
    }

    /** A user as a row: its roles by name. */
    static Map<String, Object> userRow(User user) {
        Map<String, Object> row = Json.toMap(user);
        List<String> roles = new ArrayList<>();
        if (user.roles() != null) {
            user.roles().forEach(r -> roles.add(r.name()));
        }
        row.put("roles", roles);
        return row;
    }

    static final List<String> USER_COLUMNS = List.of("username", "email", "first_name", "last_name", "roles");

    @Command(name = "list", description = "List the users.", mixinStandardHelpOptions = true)
    static final class List_ extends ApiCommand {
        @Override
        void execute(WeftClient api) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (User u : api.getAll("/users", UserCollection.class, UserCollection::users)) {
                rows.add(userRow(u));
            }
            rows(USER_COLUMNS, rows);
        }
    }

    @Command(name = "create", description = "Create a user. The password is asked (without echo) or read from stdin "
            + "with --password-stdin; never given on the command line.", mixinStandardHelpOptions = true)
    static final class Create extends ApiCommand {
        @Option(names = {"-u", "--username"}, required = true, paramLabel = "USERNAME")
        String username;
        @Option(names = {"-e", "--email"}, required = true, paramLabel = "EMAIL")
        String email;
        @Option(names = {"-r", "--role"}, required = true, paramLabel = "ROLE",
                description = "Admin, Op, User or Viewer.")
        String role;
        @Option(names = {"-f", "--firstname"}, paramLabel = "FIRST_NAME")
        String firstName;
        @Option(names = {"-l", "--lastname"}, paramLabel = "LAST_NAME")
        String lastName;
        @Option(names = "--password-stdin", description = "Read the password from the first line of stdin.")
        boolean passwordStdin;

        @Override
        void execute(WeftClient api) {
            String pw = Prompts.password(passwordStdin, "Password for " + username + ": ", true);
            Map<String, Object> body = WeftClient.map("username", username, "email", email,
                    "first_name", firstName == null ? "" : firstName, "last_name", lastName == null ? "" : lastName,
                    "roles", List.of(WeftClient.map("name", role)), "password", pw);
            Object user = api.post("/users", body);
            if (common.structured()) {
                rows(USER_COLUMNS, List.of(userRow(Json.as(User.class, user))));
            } else {
                out().println("User " + username + " created with role " + role + ".");
            }
        }
    }
}
