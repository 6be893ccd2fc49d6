package dev.weft.engine.secrets;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SecretMaskerTest {
    @Test
    void collectedSecretsAreMaskedWhereverTheyAppear() {
        SecretMasker masker = new SecretMasker();
        assertThat(masker.mask("nothing yet: hunter22")).isEqualTo("nothing yet: hunter22");
        masker.add("hunter22");
        assertThat(masker.mask("login -p hunter22 && echo hunter22")).isEqualTo("login -p *** && echo ***");
        assertThat(masker.mask((String) null)).isNull();
    }

    @Test
    void aSecretContainingAnotherIsMaskedWhole() {
        SecretMasker masker = new SecretMasker();
        masker.add("abcde");
        masker.add("abcdefgh");
        assertThat(masker.mask("x abcdefgh y abcde")).isEqualTo("x *** y ***");
    }

    @Test
    void shortValuesAreNotMasked() {
        SecretMasker masker = new SecretMasker();
        masker.add("1");
        masker.add("abcd");
        masker.add(null);
        assertThat(masker.isEmpty()).isTrue();
        assertThat(masker.mask("1 abcd")).isEqualTo("1 abcd");
    }

    @Test
    void eachLineOfAMultiLineSecretIsMaskedAsLogsPrintLineByLine() {
        SecretMasker masker = new SecretMasker();
        masker.add("-----BEGIN KEY-----\nMIIEvQIBADANBg\n-----END KEY-----");
        assertThat(masker.mask("INFO MIIEvQIBADANBg")).isEqualTo("INFO ***");
    }

    @Test
    void valuesInsideMapsAndListsAreMasked() {
        SecretMasker masker = new SecretMasker();
        masker.add("hunter22");
        assertThat(masker.maskMap(Map.of("cmd", "use hunter22", "args", List.of("hunter22", 3))))
                .isEqualTo(Map.of("cmd", "use ***", "args", List.of("***", 3)));
    }

    @Test
    void aValueSaysWhichOfTheSecretsItContains() {
        SecretMasker masker = new SecretMasker();
        masker.add("hunter22");
        masker.add("tok-abcdef");
        masker.add("unused-secret");
        assertThat(masker.secretsIn(Map.of("auth hunter22", List.of(1, "Bearer tok-abcdef"))))
                .containsExactly("hunter22", "tok-abcdef");
        assertThat(masker.secretsIn("nothing here")).isEmpty();
        assertThat(masker.secretsIn(42)).isEmpty();
    }
}
