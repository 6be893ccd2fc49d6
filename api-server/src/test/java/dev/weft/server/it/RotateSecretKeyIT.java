package dev.weft.server.it;

import dev.weft.engine.connections.ConnectionSpec;
import dev.weft.engine.connections.Connections;
import dev.weft.engine.secrets.SecretCipher;
import dev.weft.engine.secrets.SecretKeys;
import dev.weft.engine.secrets.SensitiveNames;
import dev.weft.engine.variables.Variables;
import dev.weft.store.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code weft rotate-secret-key CONFIG.yml} as a process: values written with the old key end under the new one. */
class RotateSecretKeyIT {
    private final TestDatabase db = TestDatabase.create();
    @TempDir
    Path home;

    @AfterEach
    void close() {
        db.close();
    }

    private Variables variables(SecretCipher cipher) {
        return new Variables(db.database().variables(), cipher, SensitiveNames.DEFAULT, Clock.systemUTC());
    }

    private Connections connections(SecretCipher cipher) {
        return new Connections(db.database().connections(), cipher, SensitiveNames.DEFAULT, Clock.systemUTC(),
                name -> null);
    }

    private SecretCipher cipher(String secret, List<String> previous) {
        return SecretKeys.load(secret, home).cipher(previous);
    }

    @Test
    void reencryptsVariablesAndConnectionsWithTheNewKey() throws Exception {
        SecretCipher old = cipher("the-old-secret", List.of());
        variables(old).set("db_password", "v4r-s3cret", null);
        ConnectionSpec warehouse = new ConnectionSpec("warehouse", "postgres", null, "db.example.com", "sales",
                "etl", "c0nn-s3cret", 5432, "{\"sslmode\": \"require\"}");
        connections(old).create(warehouse);
        SecretCipher current = cipher("the-new-secret", List.of());
        assertThatThrownBy(() -> connections(current).find("warehouse"))
                .isInstanceOf(SecretCipher.SecretDecryptionException.class);

        Process rotate = ServerProcess.launch("rotate-secret-key", home, "databaseUrl: \"" + db.url()
                + "\"\nsecretKey: the-new-secret\npreviousSecretKeys: [the-old-secret]\n", Map.of()).process();
        assertThat(rotate.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(home.resolve("rotate-secret-key.log"));
        assertThat(rotate.exitValue()).as(output).isZero();
        assertThat(output).contains("re-encrypted 1 variable(s), 1 connection(s) and the secrets of 0 XCom(s) with the"
                + " current secret key")
                .doesNotContain("v4r-s3cret").doesNotContain("c0nn-s3cret");

        assertThat(variables(current).find("db_password").orElseThrow().value()).isEqualTo("v4r-s3cret");
        assertThat(connections(current).find("warehouse")).contains(warehouse);
        assertThatThrownBy(() -> connections(old).find("warehouse"))
                .isInstanceOf(SecretCipher.SecretDecryptionException.class);
        String stored = db.database().jdbi().withHandle(h -> h.createQuery("SELECT encrypted_password FROM"
                + " connection").mapTo(String.class).one());
        assertThat(stored).startsWith("v1:").doesNotContain("c0nn-s3cret");
    }
}
