package dev.weft.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static dev.weft.cli.WeftCli.map;
import static dev.weft.cli.WeftClient.seg;

/** Pools, users, {@code login} and {@code completion}. */
final class AdminCommands {
    private AdminCommands() {
    }

    static final List<String> POOL_COLUMNS = List.of("pool", "slots", "description", "include_deferred");

    /** A pool of the API as a row of the pool commands (its name under "pool", as Airflow's CLI prints it). */
    static Map<String, Object> poolRow(Object pool) {
        Map<String, Object> row = new LinkedHashMap<>(map(pool));
        row.put("pool", row.get("name"));
        return row;
    }

    @Command(name = "get", description = "Show one pool.", mixinStandardHelpOptions = true)
    static final class PoolsGet extends WeftCli.Base {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        void execute(WeftClient api) {
            rows(POOL_COLUMNS, List.of(poolRow(api.get("/pools/" + seg(name)))));
        }
    }

    @Command(name = "set", description = "Create a pool, or change its slots (and description, when given).",
            mixinStandardHelpOptions = true)
    static final class PoolsSet extends WeftCli.Base {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "SLOTS", description = "The number of slots (-1: unlimited).")
        int slots;
        @Parameters(index = "2", paramLabel = "DESCRIPTION", arity = "0..1")
        String description;

        @Override
        void execute(WeftClient api) {
            Map<String, Object> body = WeftClient.map("name", name, "slots", slots);
            if (description != null) {
                body.put("description", description);
            }
            Object pool;
            try {
                pool = api.patch("/pools/" + seg(name) + "?update_mask=slots"
                        + (description != null ? "&update_mask=description" : ""), body);
            } catch (CliException e) {
                if (e.exitCode != CliException.NOT_FOUND) {
                    throw e;
                }
                pool = api.post("/pools", body);
            }
            rows(POOL_COLUMNS, List.of(poolRow(pool)));
        }
    }

    @Command(name = "delete", description = "Delete a pool.", mixinStandardHelpOptions = true)
    static final class PoolsDelete extends WeftCli.Base {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        void execute(WeftClient api) {
            Map<String, Object> pool = poolRow(api.get("/pools/" + seg(name)));
            api.delete("/pools/" + seg(name));
            rows(POOL_COLUMNS, List.of(pool));
        }
    }

    // ---------------------------------------------------------------- users

    @Command(name = "users", description = "Users of the server (Admin role needed).", mixinStandardHelpOptions = true)
    static final class Users extends WeftCli.Group {
    }

    static Map<String, Object> userRow(Object user) {
        Map<String, Object> row = new LinkedHashMap<>(map(user));
        List<String> roles = new ArrayList<>();
        if (row.get("roles") instanceof List<?> l) {
            l.forEach(r -> roles.add(r instanceof Map<?, ?> m ? String.valueOf(m.get("name")) : String.valueOf(r)));
        }
        row.put("roles", roles);
        return row;
    }

    static final List<String> USER_COLUMNS = List.of("username", "email", "first_name", "last_name", "roles");

    @Command(name = "list", description = "List the users.", mixinStandardHelpOptions = true)
    static final class UsersList extends WeftCli.Base {
        @Override
        void execute(WeftClient api) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Object u : api.getAll("/users", "users")) {
                rows.add(userRow(u));
            }
            rows(USER_COLUMNS, rows);
        }
    }

    /** Reads a password: the first line of stdin, or asked twice on the terminal without echo. */
    static String password(boolean fromStdin, String prompt, boolean confirm) {
        if (fromStdin) {
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    throw new CliException(CliException.USAGE, "--password-stdin: no password on stdin");
                }
                return line;
            } catch (IOException e) {
                throw new CliException(CliException.USAGE, "--password-stdin: cannot read stdin: " + e.getMessage());
            }
        }
        Console console = System.console();
        if (console == null) {
            throw new CliException(CliException.USAGE, "no terminal to ask for the password: pipe it in with "
                    + "--password-stdin");
        }
        char[] first = console.readPassword("%s", prompt);
        if (first == null || first.length == 0) {
            throw new CliException(CliException.USAGE, "no password given");
        }
        if (confirm) {
            char[] again = console.readPassword("Repeat for confirmation: ");
            if (again == null || !Arrays.equals(first, again)) {
                throw new CliException(CliException.USAGE, "the passwords do not match");
            }
        }
        return new String(first);
    }

    @Command(name = "create", description = "Create a user. The password is asked (without echo) or read from stdin "
            + "with --password-stdin; never given on the command line.", mixinStandardHelpOptions = true)
    static final class UsersCreate extends WeftCli.Base {
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
            String pw = password(passwordStdin, "Password for " + username + ": ", true);
            Map<String, Object> body = WeftClient.map("username", username, "email", email,
                    "first_name", firstName == null ? "" : firstName, "last_name", lastName == null ? "" : lastName,
                    "roles", List.of(WeftClient.map("name", role)), "password", pw);
            Object user = api.post("/users", body);
            if (common.structured()) {
                rows(USER_COLUMNS, List.of(userRow(user)));
            } else {
                out().println("User " + username + " created with role " + role + ".");
            }
        }
    }

    // ---------------------------------------------------------------- login, completion

    @Command(name = "login", description = "Check a user and password against the server and save them, with the "
            + "URL, in the config file (mode 0600) that later commands read.", mixinStandardHelpOptions = true)
    static final class Login implements Callable<Integer> {
        @Option(names = "--url", paramLabel = "URL", description = "The Weft server (default: WEFT_URL, the config "
                + "file, else " + CliConfig.DEFAULT_URL + ").")
        String url;
        @Option(names = {"-u", "--username"}, paramLabel = "USERNAME", description = "The user (asked when absent).")
        String username;
        @Option(names = "--password-stdin", description = "Read the password from the first line of stdin.")
        boolean passwordStdin;

        @Override
        public Integer call() {
            String u = url != null ? url : WeftCli.rootUrl;
            CliConfig current = CliConfig.resolve(u, System::getenv);
            String user = username;
            if (user == null) {
                Console console = System.console();
                if (console == null) {
                    throw new CliException(CliException.USAGE, "no terminal to ask for the user: give -u/--username");
                }
                user = console.readLine("User: ");
                if (user == null || user.isBlank()) {
                    throw new CliException(CliException.USAGE, "no user given");
                }
                user = user.trim();
            }
            String pw = password(passwordStdin, "Password for " + user + " at " + current.url() + ": ", false);
            // Any authenticated request proves the credentials; listing one DAG needs only the Viewer role.
            new WeftClient(current.url(), user, pw).get("/dags?limit=1");
            Path file = CliConfig.file(System::getenv);
            new CliConfig(current.url(), user, pw).write(file);
            System.out.println("Logged in to " + current.url() + " as " + user + "; saved in " + file
                    + " (readable by you only).");
            return 0;
        }
    }

    @Command(name = "completion", description = {"Print a shell completion script for weft.",
            "bash: source <(weft completion bash)   (or save it in ~/.local/share/bash-completion/completions/weft)",
            "zsh:  source <(weft completion zsh)    (in ~/.zshrc; it loads bashcompinit)"},
            mixinStandardHelpOptions = true)
    static final class Completion implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
        String shell;

        @Override
        public Integer call() {
            if (!shell.equals("bash") && !shell.equals("zsh")) {
                throw new CliException(CliException.USAGE, "unknown shell '" + shell + "': bash or zsh");
            }
            // picocli's script serves both: in zsh it loads bashcompinit itself.
            System.out.print(AutoComplete.bash("weft", WeftCli.commandLine(null)));
            return 0;
        }
    }
}
