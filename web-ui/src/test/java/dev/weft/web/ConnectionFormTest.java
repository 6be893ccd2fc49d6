package dev.weft.web;

import dev.weft.engine.connections.ConnectionSpec;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionFormTest {
    private static MultivaluedMap<String, String> form(String... namesAndValues) {
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            form.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return form;
    }

    @Test
    void theFieldsMakeAConnectionAndBlankOnesAreAbsent() {
        ConnectionForm.Parsed parsed = ConnectionForm.of(form("conn_id", " my_api ", "conn_type", "http", "host",
                "https://api.example.com", "schema", "", "login", "bot", "password", " s3cr3t ", "port", "8443",
                "extra", "{\"headers\": {\"X-Team\": \"data\"}}", "description", "")).parse();
        assertThat(parsed.ok()).isTrue();
        assertThat(parsed.spec()).isEqualTo(new ConnectionSpec("my_api", "http", null, "https://api.example.com",
                null, "bot", " s3cr3t ", 8443, "{\"headers\": {\"X-Team\": \"data\"}}"));
    }

    @Test
    void anEmptyPasswordIsNoneSoAnEditKeepsTheStoredOne() {
        ConnectionForm typed = ConnectionForm.of(form("conn_id", "db", "conn_type", "postgres", "password", ""));
        assertThat(typed.passwordTyped()).isFalse();
        assertThat(typed.parse().spec().password()).isNull();
    }

    @Test
    void whatIsShownAgainNeverHoldsThePassword() {
        ConnectionForm typed = ConnectionForm.of(form("conn_id", "db", "conn_type", "postgres", "password",
                "pg-pa55word", "port", "x"));
        assertThat(typed.passwordTyped()).isTrue();
        assertThat(typed.shown().password()).isNull();
        assertThat(typed.shown().toString()).doesNotContain("pg-pa55word");
        assertThat(typed.shown().port()).isEqualTo("x");
    }

    @Test
    void aBadPortSaysWhatAPortIs() {
        for (String port : new String[] {"abc", "0", "70000", "54.32"}) {
            ConnectionForm.Parsed parsed = ConnectionForm.of(form("conn_id", "db", "conn_type", "postgres", "port",
                    port)).parse();
            assertThat(parsed.ok()).as(port).isFalse();
            assertThat(parsed.field()).isEqualTo("port");
            assertThat(parsed.error()).isEqualTo("Port must be a number from 1 to 65535 (e.g. 5432), not '" + port
                    + "'.");
        }
    }

    @Test
    void aBadExtraSaysWhereAndThatAnObjectIsNeeded() {
        ConnectionForm.Parsed broken = ConnectionForm.of(form("conn_id", "fs1", "conn_type", "fs", "extra",
                "{\"path\": \"/data\",}")).parse();
        assertThat(broken.field()).isEqualTo("extra");
        assertThat(broken.error()).startsWith("The extra is not valid JSON (line 1, column 18)")
                .doesNotContain("Source");
        ConnectionForm.Parsed list = ConnectionForm.of(form("conn_id", "fs1", "conn_type", "fs", "extra",
                "[1]")).parse();
        assertThat(list.error()).startsWith("The extra must be a JSON object, such as {\"path\": \"/data\"}");
    }
}
