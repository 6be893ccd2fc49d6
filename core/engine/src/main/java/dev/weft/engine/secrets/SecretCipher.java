package dev.weft.engine.secrets;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * Encrypts values at rest with AES-256-GCM: a random 12-byte IV per value, the text form {@code v1:<base64 of IV,
 * ciphertext and tag>}. The version prefix leaves room for another scheme; GCM's tag makes a value encrypted with
 * another key (or altered) fail to decrypt rather than decrypt to garbage.
 */
public final class SecretCipher {
    private static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final List<SecretKeySpec> previousKeys;
    private final SecureRandom random = new SecureRandom();

    /** {@code key}: 32 bytes, e.g. {@link SecretKeys#encryptionKey()}. */
    public SecretCipher(byte[] key) {
        this(key, List.of());
    }

    /**
     * A cipher that encrypts with {@code key} and decrypts with it or, failing that, with each of
     * {@code previousKeys} in turn: values written before a key change stay readable until they are encrypted again
     * (as Airflow's {@code fernet_key = new,old}).
     */
    public SecretCipher(byte[] key, List<byte[]> previousKeys) {
        this.key = aesKey(key);
        this.previousKeys = previousKeys.stream().map(SecretCipher::aesKey).toList();
    }

    private static SecretKeySpec aesKey(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("an AES-256 key has 32 bytes, not " + key.length);
        }
        return new SecretKeySpec(key, "AES");
    }

    public String encrypt(String plain) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM: " + e.getMessage(), e);
        }
    }

    /**
     * @param what names the value in the error, e.g. {@code variable 'region'}
     * @throws SecretDecryptionException when the value was encrypted with another key, altered, or is not in the
     *                                   {@code v1:} form
     */
    public String decrypt(String sealed, String what) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new SecretDecryptionException("The stored value of " + what + " is not in a form Weft can decrypt"
                    + " (expected 'v1:...'); set it again");
        }
        try {
            byte[] in = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            if (in.length < IV_BYTES + TAG_BITS / 8) {
                throw new IllegalArgumentException("too short");
            }
            try {
                return open(in, key);
            } catch (AEADBadTagException notTheCurrentKey) {
                for (SecretKeySpec previous : previousKeys) {
                    try {
                        return open(in, previous);
                    } catch (AEADBadTagException notThisOne) {
                        // the next previous key, if any
                    }
                }
                throw notTheCurrentKey;
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecretDecryptionException("The stored value of " + what + " does not decrypt with this "
                    + "process's secret key: every Weft process (server, scheduler, workers) must be given the same "
                    + "secretKey (or share the same $WEFT_HOME/secret_key), the one the value was written with; after a key "
                    + "change, list the old one in previousSecretKeys");
        }
    }

    private static String open(byte[] in, SecretKeySpec key) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
        return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
    }

    /** A stored value that cannot be decrypted; its message says why and what to do. */
    public static final class SecretDecryptionException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public SecretDecryptionException(String message) {
            super(message);
        }
    }
}
