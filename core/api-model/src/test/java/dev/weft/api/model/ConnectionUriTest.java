package dev.weft.api.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Airflow's connection URIs, with the examples of its documentation and of its tests of {@code Connection}. */
class ConnectionUriTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final ConnectionUri URI = new ConnectionUri(new ConnectionUri.Json() {
        @Override
        public Object parse(String text) {
            try {
                return MAPPER.readValue(text, Object.class);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(e);
            }
        }

        @Override
        public String write(Object value) {
            try {
                return MAPPER.writeValueAsString(value);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    });

    private static Connection parse(String uri) {
        return URI.parse("c", uri);
    }

    private static Connection spec(String type, String host, String schema, String login, String password,
                                       Integer port, String extra) {
        return new Connection("c", type, null, host, login, schema, port, password, extra);
    }

    private static Map<?, ?> dejson(Connection c) {
        try {
            return MAPPER.readValue(c.extra(), Map.class);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void parsesEveryPartPercentDecodedAndTheQueryAsExtra() {
        Connection c = parse("scheme://user:password@host%2Flocation:1234/schema?extra1=a%20value&extra2="
                + "%2Fpath%2F");
        assertThat(c.connType()).isEqualTo("scheme");
        assertThat(c.host()).isEqualTo("host/location");
        assertThat(c.schema()).isEqualTo("schema");
        assertThat(c.login()).isEqualTo("user");
        assertThat(c.password()).isEqualTo("password");
        assertThat(c.port()).isEqualTo(1234);
        assertThat(dejson(c)).isEqualTo(Map.of("extra1", "a value", "extra2", "/path/"));
    }

    @Test
    void aHostWithColonsAndSlashesIsTakenAsWritten() {
        assertThat(parse("scheme://user:password@host%2Flocation%3Ax%3Ay:1234/schema").host())
                .isEqualTo("host/location:x:y");
        assertThat(parse("scheme://%2FTmP%2F:1234").host()).isEqualTo("/TmP/");
        // urlsplit lower-cases a plain host name, and Airflow keeps that
        assertThat(parse("scheme://MyHost:1234").host()).isEqualTo("myhost");
    }

    @Test
    void theDocumentationsExampleRoundTrips() {
        String uri = "my-conn-type://my-login:my-password@my-host:5432/my-schema?param1=val1&param2=val2";
        Connection c = parse(uri);
        assertThat(c.connType()).isEqualTo("my_conn_type");
        assertThat(dejson(c)).isEqualTo(Map.of("param1", "val1", "param2", "val2"));
        assertThat(URI.format(spec("my_conn_type", "my-host", "my-schema", "my-login", "my-password", 5432,
                "{\"param1\": \"val1\", \"param2\": \"val2\"}"))).isEqualTo(uri);
    }

    @Test
    void anExtraThatIsNotFlatStringsTravelsWholeAsExtraKey() {
        String extra = "{\"my_val\": [\"list\", \"of\", \"values\"], \"extra\": {\"nested\": {\"json\": \"val\"}}}";
        String uri = URI.format(spec("scheme", "host/location", "schema", "user", "password", 1234, extra));
        // Airflow's documented output, byte for byte
        assertThat(uri).isEqualTo("scheme://user:password@host%2Flocation:1234/schema?__extra__=%7B%22my_val%22%3A"
                + "+%5B%22list%22%2C+%22of%22%2C+%22values%22%5D%2C+%22extra%22%3A+%7B%22nested%22%3A+%7B%22json"
                + "%22%3A+%22val%22%7D%7D%7D");
        Connection back = parse(uri);
        assertThat(back.extra()).isEqualTo(extra);
        assertThat(dejson(back)).isEqualTo(Map.of("my_val", List.of("list", "of", "values"),
                "extra", Map.of("nested", Map.of("json", "val"))));
        // a number is not a string: it would come back as one from a query, so it goes whole too
        assertThat(URI.format(spec("http", "h", null, null, null, null, "{\"timeout\": 5}")))
                .isEqualTo("http://h/?__extra__=%7B%22timeout%22%3A+5%7D");
    }

    @Test
    void specialCharactersInLoginAndPasswordArePercentEncodedBothWays() {
        Connection c = spec("postgres", "db.example.com", "sales", "user name", "p@ss/w:rd?#%+", 5432, null);
        String uri = URI.format(c);
        assertThat(uri).isEqualTo("postgres://user%20name:p%40ss%2Fw%3Ard%3F%23%25%2B@db.example.com:5432/sales");
        Connection back = parse(uri);
        assertThat(back.login()).isEqualTo("user name");
        assertThat(back.password()).isEqualTo("p@ss/w:rd?#%+");
        assertThat(back.host()).isEqualTo("db.example.com");
    }

    @Test
    void postgresqlIsPostgresAndAHostMayCarryItsProtocol() {
        Connection pg = parse("postgresql://postgres_user:XXXXXXXXXXXX@1.1.1.1:5432/postgresdb");
        assertThat(pg.connType()).isEqualTo("postgres");
        assertThat(pg.host()).isEqualTo("1.1.1.1");
        Connection http = parse("http://https://example.com:8443/?timeout=30");
        assertThat(http.host()).isEqualTo("https://example.com");
        assertThat(http.port()).isEqualTo(8443);
        assertThat(URI.format(spec("http", "https://example.com", null, null, null, null, null)))
                .isEqualTo("http://https://example.com");
    }

    @Test
    void aPortAloneAndAQueryWithoutSchemaKeepAirflowsShape() {
        assertThat(URI.format(spec("scheme", null, null, null, null, 1234, null)))
                .isEqualTo("scheme://@:1234");
        Connection spark = parse("spark://mysparkcluster.com:80?deploy-mode=cluster&spark_binary=command"
                + "&namespace=kube+namespace");
        assertThat(spark.schema()).isEmpty();
        assertThat(dejson(spark)).isEqualTo(Map.of("deploy-mode", "cluster", "spark_binary", "command",
                "namespace", "kube namespace"));
        assertThat(URI.format(spark)).isEqualTo("spark://mysparkcluster.com:80/?deploy-mode=cluster"
                + "&spark_binary=command&namespace=kube+namespace");
        assertThat(dejson(parse("fs://?path=%2Fdata%2Fin"))).isEqualTo(Map.of("path", "/data/in"));
    }

    @Test
    void aBadUriSaysWhatIsWrongWithoutThePassword() {
        assertThatThrownBy(() -> parse("no scheme here")).hasMessageContaining("conn-type://login:password@host");
        assertThatThrownBy(() -> parse("a://b://c://d")).hasMessageContaining("Invalid connection URI");
        assertThatThrownBy(() -> parse("postgres://u:s3cr3t-pw@host:99999/db"))
                .hasMessageContaining("'99999' is not a number from 0 to 65535")
                .hasMessageNotContaining("s3cr3t-pw");
        assertThatThrownBy(() -> parse("postgres://u:s3cr3t-pw@host:abc/db")).hasMessageNotContaining("s3cr3t-pw");
    }
}
