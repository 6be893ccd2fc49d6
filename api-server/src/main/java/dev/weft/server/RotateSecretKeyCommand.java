package dev.weft.server;

import com.codahale.metrics.MetricRegistry;
import dev.weft.engine.connections.Connections;
import dev.weft.engine.secrets.SecretCipher;
import dev.weft.engine.secrets.SecretKeys;
import dev.weft.engine.secrets.SensitiveNames;
import dev.weft.engine.variables.Variables;
import dev.weft.engine.xcom.XComs;
import dev.weft.store.WeftDatabase;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import net.sourceforge.argparse4j.inf.Namespace;

import java.nio.file.Path;
import java.time.Clock;

/**
 * {@code weft rotate-secret-key CONFIG.yml}: encrypts every variable, every connection's secrets and the secrets
 * XComs remember (see {@link XComs}) again with the current {@code secretKey}, reading values written with the
 * {@code previousSecretKeys} (Airflow's {@code airflow rotate-fernet-key} after {@code fernet_key = new,old}). Values
 * already under the current key are rewritten too, so running it twice is harmless.
 */
public final class RotateSecretKeyCommand extends WeftCommand {
    public RotateSecretKeyCommand() {
        super("rotate-secret-key", "Re-encrypts variables, connections and the secrets XComs remember with the"
                + " current secretKey, reading those written with previousSecretKeys");
    }

    @Override
    protected void run(Bootstrap<WeftConfiguration> bootstrap, Namespace namespace, WeftConfiguration config)
            throws Exception {
        DbCommand.applyEnvironment(namespace, config);
        SecretCipher cipher = SecretKeys.load(config.getSecretKey(), Path.of(config.getWeftHome()))
                .cipher(config.getPreviousSecretKeys());
        SensitiveNames sensitive = new SensitiveNames(config.getSensitiveVarConnNames());
        try (DatabaseLocation location = DatabaseLocation.open(config)) {
            // Ctrl-C lets the command finish and close the database, instead of stopping PostgreSQL under it.
            location.awaitCloseAtShutdown();
            ManagedDataSource dataSource = location.dataSourceFactory().build(new MetricRegistry(), "weft-rotate");
            try {
                WeftDatabase.migrate(dataSource);
                WeftDatabase db = new WeftDatabase(dataSource);
                Clock clock = Clock.systemUTC();
                int variables = new Variables(db.variables(), cipher, sensitive, clock).reencryptAll();
                int connections = new Connections(db.connections(), cipher, sensitive, clock, name -> null)
                        .reencryptAll();
                int xcoms = new XComs(db.xcoms(), cipher, XComs.DEFAULT_MAX_BYTES, clock).reencryptAll();
                System.out.println("weft: re-encrypted " + variables + " variable(s), " + connections
                        + " connection(s) and the secrets of " + xcoms + " XCom(s) with the current secret key");
                if (config.getPreviousSecretKeys().isEmpty()) {
                    System.out.println("weft: previousSecretKeys is empty, so every value was already under the"
                            + " current key");
                } else {
                    System.out.println("weft: remove previousSecretKeys from every process's configuration and"
                            + " restart them");
                }
            } finally {
                dataSource.stop();
            }
        }
    }
}
