package dev.weft.server;

import com.codahale.metrics.MetricRegistry;
import dev.weft.store.WeftDatabase;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.util.List;

/**
 * {@code weft db migrate|status [config.yml]}: applies the database changelog, or lists what is pending. Without a
 * configuration file it uses WEFT_DATABASE_URL, else the embedded PostgreSQL under WEFT_HOME.
 */
public class DbCommand extends ConfiguredCommand<WeftConfiguration> {
    public DbCommand() {
        super("db", "Applies the database changelog (migrate) or lists pending changes (status)");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("action").choices("migrate", "status").help("migrate or status");
        super.configure(subparser);
    }

    /** Without a configuration file, WEFT_DATABASE_URL says where the database is (WEFT_HOME: the configuration's default). */
    static void applyEnvironment(Namespace namespace, WeftConfiguration config) {
        if (namespace.getString("file") == null) {
            String url = System.getenv("WEFT_DATABASE_URL");
            if (url != null && !url.isBlank()) {
                config.setDatabaseUrl(url);
            }
        }
    }

    @Override
    protected void run(Bootstrap<WeftConfiguration> bootstrap, Namespace namespace, WeftConfiguration config)
            throws Exception {
        applyEnvironment(namespace, config);
        try (DatabaseLocation location = DatabaseLocation.open(config)) {
            // Ctrl-C lets the command finish and close the database, instead of stopping PostgreSQL under it.
            location.awaitCloseAtShutdown();
            ManagedDataSource dataSource = location.dataSourceFactory().build(new MetricRegistry(), "weft-db");
            try {
                if ("migrate".equals(namespace.getString("action"))) {
                    WeftDatabase.migrate(dataSource);
                    System.out.println("weft: the database is up to date");
                } else {
                    List<String> pending = WeftDatabase.pendingChanges(dataSource);
                    System.out.println(pending.isEmpty() ? "weft: the database is up to date"
                            : "weft: " + pending.size() + " pending change(s): " + String.join(", ", pending)
                            + "\n      run: weft db migrate");
                }
            } finally {
                dataSource.stop();
            }
        }
    }
}
