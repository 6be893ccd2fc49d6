package dev.weft.server;

import dev.weft.engine.auth.PasswordHasher;
import dev.weft.engine.store.UserStore;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.server.SimpleServerFactory;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.ConfigurationFactory;
import io.dropwizard.configuration.ConfigurationFactoryFactory;
import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.logging.common.DefaultLoggingFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * {@code weft standalone}: everything in one process on one port, with the embedded PostgreSQL under WEFT_HOME
 * unless a database URL is given, the example DAGs, and an {@code admin} user whose generated password is printed
 * once and saved to {@code WEFT_HOME/standalone_admin_password.txt}.
 */
public class StandaloneCommand extends ServerCommand<WeftConfiguration> {

    public StandaloneCommand(Application<WeftConfiguration> application) {
        super(application, "standalone", "Runs Weft in one process: embedded database, scheduler, worker, UI and API");
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser.addArgument("--port").type(Integer.class).help("HTTP port (default 8080, or WEFT_PORT)");
        subparser.addArgument("--database-url").help("PostgreSQL JDBC URL instead of the embedded database "
                + "(or WEFT_DATABASE_URL)");
        subparser.addArgument("--no-examples").action(net.sourceforge.argparse4j.impl.Arguments.storeTrue())
                .help("do not load the example DAGs");
    }

    // Standalone settings go in right after the configuration is parsed, before Dropwizard configures logging.
    @Override
    @SuppressWarnings("unchecked")
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        Bootstrap<WeftConfiguration> weft = (Bootstrap<WeftConfiguration>) bootstrap;
        ConfigurationFactoryFactory<WeftConfiguration> parsers = weft.getConfigurationFactoryFactory();
        weft.setConfigurationFactoryFactory((type, validator, mapper, prefix) -> {
            ConfigurationFactory<WeftConfiguration> parser = parsers.create(type, validator, mapper, prefix);
            return new ConfigurationFactory<>() {
                @Override
                public WeftConfiguration build(ConfigurationSourceProvider provider, String path)
                        throws IOException, ConfigurationException {
                    return standalone(parser.build(provider, path), namespace);
                }

                @Override
                public WeftConfiguration build() throws IOException, ConfigurationException {
                    return standalone(parser.build(), namespace);
                }
            };
        });
        super.run(bootstrap, namespace);
    }

    private static WeftConfiguration standalone(WeftConfiguration config, Namespace namespace) throws IOException {
        String home = System.getenv("WEFT_HOME");
        if (home != null && !home.isBlank()) {
            config.setWeftHome(home);
        }
        String url = namespace.getString("database_url") != null ? namespace.getString("database_url")
                : System.getenv("WEFT_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            config.setDatabaseUrl(url);
        }
        if (Boolean.TRUE.equals(namespace.getBoolean("no_examples"))) {
            config.setLoadExamples(false);
        }
        Integer port = namespace.getInt("port");
        if (port == null && System.getenv("WEFT_PORT") != null) {
            port = Integer.parseInt(System.getenv("WEFT_PORT").trim());
        }
        int chosen = port == null ? 8080 : port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(chosen)) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
            System.err.println("weft: port " + chosen + " is in use (another Weft?). Stop that process, or start"
                    + " with --port N or WEFT_PORT=N.");
            System.exit(1);
        }
        SimpleServerFactory server = new SimpleServerFactory();
        server.setApplicationContextPath("/");
        server.setAdminContextPath("/ops");
        ((HttpConnectorFactory) server.getConnector()).setPort(chosen);
        server.setRequestLogFactory(quietRequestLog());
        config.setServerFactory(server);
        config.setCreateAdminUser(true);
        // One screen of output: Weft's own messages and warnings, not every library's start-up chatter.
        if (config.getLoggingFactory() instanceof DefaultLoggingFactory logging) {
            logging.setLevel("WARN");
            logging.setLoggers(Map.of("dev.weft", TextNode.valueOf("INFO")));
        }
        Files.createDirectories(Path.of(config.getWeftHome()));
        return config;
    }

    private static LogbackAccessRequestLogFactory quietRequestLog() {
        LogbackAccessRequestLogFactory requestLog = new LogbackAccessRequestLogFactory();
        requestLog.setAppenders(java.util.List.of());
        return requestLog;
    }

    /** Creates the admin user on first start and prints its password once. */
    static void ensureAdmin(UserStore users, Path home) {
        if (users.find("admin").isPresent()) {
            return;
        }
        String password = PasswordHasher.randomPassword(16);
        boolean created = users.create(new UserStore.User("admin", PasswordHasher.hash(password), "Admin", null,
                "Weft", "Admin", true, null, null, 0, null));
        if (!created) {
            return;
        }
        Path file = home.resolve("standalone_admin_password.txt");
        try {
            Files.writeString(file, password + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println();
        System.out.println("Weft standalone: login with user 'admin' and password '" + password + "'");
        System.out.println("(saved to " + file + "; it is shown only this once)");
        System.out.println();
    }
}
