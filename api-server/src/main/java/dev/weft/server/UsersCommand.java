package dev.weft.server;

import dev.weft.engine.auth.PasswordHasher;
import com.codahale.metrics.MetricRegistry;
import dev.weft.engine.store.UserStore;
import dev.weft.engine.auth.Role;
import dev.weft.store.WeftDatabase;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code weft users create CONFIG.yml --username U --role R --email E}: creates a user directly in the database (the
 * first Admin of a server, before anyone can log in to the API). The password is asked twice without echo, or read
 * from the first line of stdin with {@code --password-stdin}; never taken from the command line.
 */
public final class UsersCommand extends WeftCommand {
    public UsersCommand() {
        super("users", "Creates a user directly in the database (users create CONFIG.yml --username ... --role ... "
                + "--email ...)");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("action").choices("create").help("create");
        super.configure(subparser);
        subparser.addArgument("-u", "--username").required(true);
        subparser.addArgument("-r", "--role").required(true).help("Admin, Op, User or Viewer");
        subparser.addArgument("-e", "--email").required(true);
        subparser.addArgument("-f", "--firstname").setDefault("");
        subparser.addArgument("-l", "--lastname").setDefault("");
        subparser.addArgument("--password-stdin").action(Arguments.storeTrue())
                .help("read the password from the first line of stdin");
    }

    @Override
    protected void run(Bootstrap<WeftConfiguration> bootstrap, Namespace namespace, WeftConfiguration config)
            throws Exception {
        DbCommand.applyEnvironment(namespace, config);
        String username = namespace.getString("username").trim();
        if (username.isEmpty()) {
            throw new IllegalArgumentException("--username must not be empty");
        }
        Role role = Role.of(namespace.getString("role")).orElseThrow(() -> new IllegalArgumentException(
                "unknown role '" + namespace.getString("role") + "': Admin, Op, User or Viewer"));
        String password = password(namespace.getBoolean("password_stdin"), username);
        try (DatabaseLocation location = DatabaseLocation.open(config)) {
            // Ctrl-C lets the command finish and close the database, instead of stopping PostgreSQL under it.
            location.awaitCloseAtShutdown();
            ManagedDataSource dataSource = location.dataSourceFactory().build(new MetricRegistry(), "weft-users");
            try {
                WeftDatabase.migrate(dataSource);
                UserStore users = new WeftDatabase(dataSource).users();
                // create() inserts only a name not taken, so the check and the insert cannot race.
                boolean created = users.create(new UserStore.User(username, PasswordHasher.hash(password),
                        role.displayName(), namespace.getString("email"), namespace.getString("firstname"),
                        namespace.getString("lastname"), true, null, null, 0, null));
                if (!created) {
                    throw new IllegalArgumentException("the user '" + username + "' already exists");
                }
                System.out.println("weft: user " + username + " created with role " + role.displayName());
            } finally {
                dataSource.stop();
            }
        }
    }

    private static String password(boolean fromStdin, String username) throws IOException {
        if (fromStdin) {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new IllegalArgumentException("--password-stdin: no password on stdin");
            }
            return line;
        }
        Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException("no terminal to ask for the password: pipe it in with --password-stdin");
        }
        char[] first = console.readPassword("Password for %s: ", username);
        char[] again = console.readPassword("Repeat for confirmation: ");
        if (first == null || first.length == 0) {
            throw new IllegalArgumentException("no password given");
        }
        if (!Arrays.equals(first, again)) {
            throw new IllegalArgumentException("the passwords do not match");
        }
        return new String(first);
    }
}
