package dev.weft.engine.secrets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretKeysTest {
    @Test
    void withoutAConfiguredKeyOneIsMadeOnceInTheHomeReadableByItsOwnerOnly(@TempDir Path home) throws Exception {
        SecretKeys first = SecretKeys.load(null, home);
        Path file = home.resolve("secret_key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        SecretKeys again = SecretKeys.load("  ", home);
        assertThat(again.encryptionKey()).isEqualTo(first.encryptionKey());
        try (var files = Files.list(home)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aConfiguredKeyWinsAndSigningAndEncryptionKeysDiffer(@TempDir Path home) {
        SecretKeys configured = SecretKeys.load("my server secret", home);
        assertThat(Files.exists(home.resolve("secret_key"))).isFalse();
        assertThat(configured.encryptionKey()).hasSize(32).isNotEqualTo(configured.signingKey());
        assertThat(SecretKeys.load("my server secret", home).encryptionKey()).isEqualTo(configured.encryptionKey());
        assertThat(SecretKeys.load("another secret", home).encryptionKey()).isNotEqualTo(configured.encryptionKey());
    }

    @Test
    void anEmptyKeyFileIsAnErrorThatSaysWhatToDo(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("secret_key"), "\n");
        assertThatThrownBy(() -> SecretKeys.load(null, home)).hasMessageContaining("is empty")
                .hasMessageContaining("delete it");
    }
}
