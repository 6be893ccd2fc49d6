package dev.weft.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OutputTest {
    private static String print(Output.Format format) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("pool", "default_pool");
        row.put("slots", 128L);
        row.put("description", null);
        row.put("include_deferred", false);
        row.put("tags", Arrays.asList("a", "1"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Output.rows(new PrintStream(bytes, true, StandardCharsets.UTF_8), format,
                List.of("pool", "slots", "description", "include_deferred", "tags"), List.of(row));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void yamlIsAListOfObjectsWithRealTypes() {
        assertThat(print(Output.Format.yaml)).isEqualTo("""
                - pool: default_pool
                  slots: 128
                  description: null
                  include_deferred: false
                  tags:
                  - a
                  - "1"
                """);
    }

    @Test
    void tableAndPlain() {
        assertThat(print(Output.Format.table).lines().toList()).containsExactly(
                "pool         | slots | description | include_deferred | tags",
                "=============+=======+=============+==================+=====",
                "default_pool | 128   |             | false            | a,1");
        assertThat(print(Output.Format.plain).lines().toList()).containsExactly(
                "pool          slots  description  include_deferred  tags",
                "default_pool  128    None         false             a,1");
    }
}
