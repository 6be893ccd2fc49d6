package dev.weft.engine.dag;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A property of the DAG-file parser, checked on random mutations of a valid file (characters YAML gives meaning to
 * inserted, spans deleted, lines duplicated, swapped or re-indented, values replaced by other types, the file cut
 * short): the parser never throws, every problem it reports has a line and a column inside the file, and a file that
 * yields no DAG says why. Seeds are fixed so a failure reproduces; {@code -Dweft.mutations=N} explores more.
 */
class DagFileMutationTest {
    /** The every-field file of the parser's own test, and a second document with the other date and edge forms. */
    private static final String VALID = DagFileParserTest.EVERY_FIELD_YAML + """
            ---
            dag_id: second
            schedule: null
            start_date: days_ago(3)
            tasks:
              - {task_id: a, type: standard.empty}
              - {task_id: b, type: standard.empty, upstream: [a], execution_timeout: PT1M}
            """;
    private static final String SPECIALS = ":-[]{}\"'&*!|>#%@`,?\t\n $\\";
    private static final List<String> SCALARS = List.of("", "~", "null", "-1", "2147483648", "99999999999999999999",
            "1e400", ".nan", "true", "[]", "{}", "[a, [b]]", "{a: {b: c}}", "&x a", "*x", "!!binary aGk=",
            "!!timestamp 2026-13-45", "2026-02-30", "P-1D", "PT", "days_ago(-1)", "days_ago(99999999999)",
            "${env:NOPE}", "${env:", "'unterminated", "\"\\u12\"", "|\n  block", "0x7fffffff", "0o17", "-.inf",
            "2026-01-01T00:00:00+25:00", "poke", "none_failed_min_one_success", "a\u0000b", "\uD800");

    private static final int TRIES = Integer.getInteger("weft.mutations", 1000);

    private final DagFileParser parser = new DagFileParser(Map.of("DATA", "/srv/data"));

    @Test
    void aMutatedDagFileIsReadOrReportedWithAPosition() {
        for (int seed = 0; seed < TRIES; seed++) {
            Random random = new Random(seed);
            String text = VALID;
            int changes = 1 + random.nextInt(4);
            for (int i = 0; i < changes; i++) {
                text = mutate(text, random);
            }
            String input = text;
            DagFileParser.Result result;
            try {
                result = parser.parse(input);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ": the parser threw on\n" + input, e);
            }
            int lines = (int) input.lines().count() + 1;
            for (DagFileParser.Problem p : result.problems()) {
                assertThat(p.position()).as("seed %d: position of '%s' in\n%s", seed, p.message(), input).isNotNull();
                assertThat(p.position().line()).as("seed %d: line of '%s'", seed, p).isBetween(1, lines);
                assertThat(p.position().column()).as("seed %d: column of '%s'", seed, p).isPositive();
                assertThat(p.message()).isNotBlank();
            }
            if (result.dags().isEmpty()) {
                assertThat(result.problems()).as("seed %d: a file without a DAG says why:\n%s", seed, input)
                        .isNotEmpty();
            }
        }
    }

    /** One random change; positions are drawn within the text as it is after the changes before. */
    private static String mutate(String text, Random random) {
        int at = random.nextInt(text.length() + 1);
        return switch (random.nextInt(16)) {
            case 0, 1, 2, 3 -> text.substring(0, at) + SPECIALS.charAt(random.nextInt(SPECIALS.length()))
                    + text.substring(at);
            case 4, 5, 6 -> text.substring(0, at) + text.substring(Math.min(text.length(), at + 1 + random.nextInt(40)));
            case 7, 8, 9 -> lineChange(text, random);
            case 15 -> text.substring(0, at);
            default -> replaceValue(text, random, SCALARS.get(random.nextInt(SCALARS.size())));
        };
    }

    private static String lineChange(String text, Random random) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        if (lines.isEmpty()) {
            return text;
        }
        int i = random.nextInt(lines.size());
        int j = random.nextInt(lines.size());
        switch (random.nextInt(4)) {
            case 0 -> lines.add(j, lines.get(i));
            case 1 -> Collections.swap(lines, i, j);
            case 2 -> lines.set(i, "  ".repeat(j % 4 + 1) + lines.get(i));
            default -> lines.set(i, lines.get(i).stripLeading());
        }
        return String.join("\n", lines) + "\n";
    }

    /** Replaces what follows the first ": " on a random line (a mapping value) with {@code value}. */
    private static String replaceValue(String text, Random random, String value) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        int start = random.nextInt(Math.max(1, lines.size()));
        for (int k = 0; k < lines.size(); k++) {
            int i = (start + k) % lines.size();
            String line = lines.get(i);
            int colon = line.indexOf(": ");
            if (colon > 0) {
                lines.set(i, line.substring(0, colon + 2) + value);
                return String.join("\n", lines) + "\n";
            }
        }
        return text;
    }
}
