package dev.weft.engine.secrets;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SensitiveNamesTest {
    @Test
    void aNameIsSensitiveWhenItContainsAnAirflowWordIgnoringCase() {
        assertThat(SensitiveNames.DEFAULT.isSensitive("db_PASSWORD")).isTrue();
        assertThat(SensitiveNames.DEFAULT.isSensitive("slack_token")).isTrue();
        assertThat(SensitiveNames.DEFAULT.isSensitive("MyApiKey")).isTrue();
        assertThat(SensitiveNames.DEFAULT.isSensitive("client_secret_v2")).isTrue();
        assertThat(SensitiveNames.DEFAULT.isSensitive("region")).isFalse();
        assertThat(SensitiveNames.DEFAULT.isSensitive(null)).isFalse();
    }

    @Test
    void extraWordsAreAddedToTheDefaults() {
        SensitiveNames names = new SensitiveNames(List.of(" Pin ", ""));
        assertThat(names.isSensitive("bank_pin")).isTrue();
        assertThat(names.isSensitive("password")).isTrue();
        assertThat(names.words()).contains("pin", "password").doesNotContain("");
    }
}
