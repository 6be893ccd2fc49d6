package dev.weft.engine.connections;

import dev.weft.engine.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Airflow's connection URIs, with the examples of its documentation and of its tests of {@code Connection}. */
class ConnectionUriTest {
    private static ConnectionSpec parse(String uri) {
        return ConnectionUri.parse("c", uri);
    }

    private static ConnectionSpec spec(String type, String host, String schema, String login, String password,
                                       Integer port, String extra) {
        return new ConnectionSpec("c", type, null, host, schema, login, password, port, extra);
    }

    @Test
    void parsesEveryPartPercentDecodedAndTheQueryAsExtra() {
        ConnectionSpec c = parse("scheme://user:password@host%2Flocation:1234/schema?extra1=a%20value&extra2="
                + "%2Fpath%2F");
        assertThat(c.connType()).isEqualTo("scheme");
        assertThat(c.host()).isEqualTo("host/location");
        assertThat(c.schema()).isEqualTo("schema");
        assertThat(c.login()).isEqualTo("user");
        assertThat(c.password()).isEqualTo("password");
        assertThat(c.port()).isEqualTo(1234);
        assertThat(c.extraDejson()).isEqualTo(Map.of("extra1", "a value", "extra2", "/path/"));
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
        ConnectionSpec c = parse(uri);
        assertThat(c.connType()).isEqualTo("my_conn_type");
        assertThat(c.extraDejson()).isEqualTo(Map.of("param1", "val1", "param2", "val2"));
        assertThat(ConnectionUri.format(spec("my_conn_type", "my-host", "my-schema", "my-login", "my-password", 5432,
                "{\"param1\": \"val1\", \"param2\": \"val2\"}"))).isEqualTo(uri);
    }

    @Test
    void anExtraThatIsNotFlatStringsTravelsWholeAsExtraKey() {
        String extra = "{\"my_val\": [\"list\", \"of\", \"values\"], \"extra\": {\"nested\": {\"json\": \"val\"}}}";
        String uri = ConnectionUri.format(spec("scheme", "host/location", "schema", "user", "password", 1234, extra));
        // Airflow's documented output, byte for byte
        assertThat(uri).isEqualTo("scheme://user:password@host%2Flocation:1234/schema?__extra__=%7B%22my_val%22%3A"
                + "+%5B%22list%22%2C+%22of%22%2C+%22values%22%5D%2C+%22extra%22%3A+%7B%22nested%22%3A+%7B%22json"
                + "%22%3A+%22val%22%7D%7D%7D");
        ConnectionSpec back = parse(uri);
        assertThat(back.extra()).isEqualTo(extra);
        assertThat(back.extraDejson()).isEqualTo(Map.of("my_val", List.of("list", "of", "values"),
                "extra", Map.of("nested", Map.of("json", "val"))));
        // a number is not a string: it would come back as one from a query, so it goes whole too
        assertThat(ConnectionUri.format(spec("http", "h", null, null, null, null, "{\"timeout\": 5}")))
                .isEqualTo("http://h/?__extra__=%7B%22timeout%22%3A+5%7D");
    }

    @Test
    void specialCharactersInLoginAndPasswordArePercentEncodedBothWays() {
        ConnectionSpec c = spec("postgres", "db.example.com", "sales", "user name", "p@ss/w:rd?#%+", 5432, null);
        String uri = ConnectionUri.format(c);
        assertThat(uri).isEqualTo("postgres://user%20name:p%40ss%2Fw%3Ard%3F%23%25%2B@db.example.com:5432/sales");
        ConnectionSpec back = parse(uri);
        assertThat(back.login()).isEqualTo("user name");
        assertThat(back.password()).isEqualTo("p@ss/w:rd?#%+");
        assertThat(back.host()).isEqualTo("db.example.com");
    }

    @Test
    void postgresqlIsPostgresAndAHostMayCarryItsProtocol() {
        ConnectionSpec pg = parse("postgresql://postgres_user:XXXXXXXXXXXX@1.1.1.1:5432/postgresdb");
        assertThat(pg.connType()).isEqualTo("postgres");
        assertThat(pg.host()).isEqualTo("1.1.1.1");
        ConnectionSpec http = parse("http://https://example.com:8443/?timeout=30");
        assertThat(http.host()).isEqualTo("https://example.com");
        assertThat(http.port()).isEqualTo(8443);
        assertThat(ConnectionUri.format(spec("http", "https://example.com", null, null, null, null, null)))
                .isEqualTo("http://https://example.com");
    }

    @Test
    void aPortAloneAndAQueryWithoutSchemaKeepAirflowsShape() {
        assertThat(ConnectionUri.format(spec("scheme", null, null, null, null, 1234, null)))
                .isEqualTo("scheme://@:1234");
        ConnectionSpec spark = parse("spark://mysparkcluster.com:80?deploy-mode=cluster&spark_binary=command"
                + "&namespace=kube+namespace");
        assertThat(spark.schema()).isEmpty();
        assertThat(spark.extraDejson()).isEqualTo(Map.of("deploy-mode", "cluster", "spark_binary", "command",
                "namespace", "kube namespace"));
        assertThat(ConnectionUri.format(spark)).isEqualTo("spark://mysparkcluster.com:80/?deploy-mode=cluster"
                + "&spark_binary=command&namespace=kube+namespace");
        assertThat(Json.readObject(parse("fs://?path=%2Fdata%2Fin").extra())).isEqualTo(Map.of("path", "/data/in"));
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
