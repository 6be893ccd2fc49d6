package dev.weft.engine.secrets;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The keys derived from the one secret a Weft installation has: the configured {@code secretKey}, or else the
 * content of {@code $WEFT_HOME/secret_key} (made once, readable by its owner only). Each use gets its own key,
 * HMAC-SHA256 of a label, so one secret serves signing and encryption without one use weakening the other.
 */
public final class SecretKeys {
    /** The file that holds the generated secret when none is configured. */
    public static final String FILE_NAME = "secret_key";

    private final byte[] secret;

    SecretKeys(byte[] secret) {
        this.secret = secret.clone();
    }

    /** From {@code configured} when it is not blank, else from (or into) {@code home/secret_key}. */
    public static SecretKeys load(String configured, Path home) {
        if (configured != null && !configured.isBlank()) {
            return new SecretKeys(configured.getBytes(StandardCharsets.UTF_8));
        }
        return new SecretKeys(fromFile(home.resolve(FILE_NAME)));
    }

    private static byte[] fromFile(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            String text = Files.readString(file).strip();
            if (text.isEmpty()) {
                throw new IllegalStateException(file + " is empty: delete it to have Weft make a new secret key"
                        + " (values encrypted with the old one can then no longer be read), or restore it");
            }
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or create the secret key file " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** Writes a new key beside the file, then links it in place: processes starting together agree on one key. */
    private static void create(Path file) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), FILE_NAME, ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.writeString(temp, Base64.getEncoder().encodeToString(random) + "\n");
            try {
                Files.createLink(file, temp);
            } catch (UnsupportedOperationException noLinks) {
                Files.move(temp, file);
            }
        } catch (FileAlreadyExistsException raced) {
            // another process made it first: use theirs
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The key that signs tokens handed to clients (e.g. log continuation tokens). */
    public byte[] signingKey() {
        return derive("weft signing v1");
    }

    /** The AES-256 key of values stored encrypted (variables, connections). */
    public byte[] encryptionKey() {
        return derive("weft encryption v1");
    }

    /**
     * The cipher of values stored encrypted: it encrypts with this secret's key and also decrypts values written
     * with the keys of {@code previousSecrets} (the configuration's {@code previousSecretKeys}, during a key change).
     */
    public SecretCipher cipher(List<String> previousSecrets) {
        return new SecretCipher(encryptionKey(), previousSecrets.stream().filter(p -> !p.isBlank())
                .map(p -> new SecretKeys(p.strip().getBytes(StandardCharsets.UTF_8)).encryptionKey()).toList());
    }

    private byte[] derive(String label) {
        return hmacSha256(secret, label);
    }

    /** HMAC-SHA256 of {@code text} (as UTF-8) with {@code key}. */
    public static byte[] hmacSha256(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM: " + e.getMessage(), e);
        }
    }
}
