package dev.weft.engine.secrets;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretCipherTest {
    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    @Test
    void aValueComesBackAsItWentInAndIsNotReadableStored() {
        SecretCipher cipher = new SecretCipher(key(1));
        String sealed = cipher.encrypt("eu-west-1 ü ✓");
        assertThat(sealed).startsWith("v1:").doesNotContain("eu-west-1");
        assertThat(cipher.decrypt(sealed, "variable 'region'")).isEqualTo("eu-west-1 ü ✓");
        assertThat(cipher.decrypt(cipher.encrypt(""), "x")).isEmpty();
    }

    @Test
    void eachEncryptionHasItsOwnIv() {
        SecretCipher cipher = new SecretCipher(key(1));
        assertThat(cipher.encrypt("same")).isNotEqualTo(cipher.encrypt("same"));
    }

    @Test
    void anotherKeyOrAnAlteredValueFailsWithWhatToDo() {
        String sealed = new SecretCipher(key(1)).encrypt("hunter22");
        SecretCipher other = new SecretCipher(key(2));
        assertThatThrownBy(() -> other.decrypt(sealed, "variable 'db_password'"))
                .isInstanceOf(SecretCipher.SecretDecryptionException.class)
                .hasMessageContaining("variable 'db_password'").hasMessageContaining("same secretKey");
        char last = sealed.charAt(sealed.length() - 3);
        String altered = sealed.substring(0, sealed.length() - 3) + (last == 'A' ? 'B' : 'A')
                + sealed.substring(sealed.length() - 2);
        assertThatThrownBy(() -> new SecretCipher(key(1)).decrypt(altered, "v"))
                .isInstanceOf(SecretCipher.SecretDecryptionException.class);
        assertThatThrownBy(() -> new SecretCipher(key(1)).decrypt("plain text", "v"))
                .hasMessageContaining("expected 'v1:");
        assertThatThrownBy(() -> new SecretCipher(key(1)).decrypt("v1:AAAA", "v"))
                .isInstanceOf(SecretCipher.SecretDecryptionException.class);
    }

    @Test
    void theKeyMustBe256Bits() {
        assertThatThrownBy(() -> new SecretCipher(new byte[16])).hasMessageContaining("32 bytes");
    }
}
