package dev.weft.engine.log;

import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LineLoggerTest {
    private final List<String> lines = new ArrayList<>();
    private final LineLogger log = new LineLogger("dag.task", Level.INFO, lines::add);

    @Test
    void eachLineOfAMessageIsALineOfTheLogWithItsLevel() {
        log.info("first {}\r\nsecond\nthird\u2028", "line");
        assertThat(lines).containsExactly("INFO first line", "INFO second", "INFO third", "INFO ");
    }

    @Test
    void everyLineBreakOfTheRegularExpressionsSplitsAndAPlainLineStaysWhole() {
        log.info("a\u000Bb\u000Cc\rd\u0085e\u2029f");
        log.info("plain {} line\t", "one");
        assertThat(lines).containsExactly("INFO a", "INFO b", "INFO c", "INFO d", "INFO e", "INFO f",
                "INFO plain one line\t");
    }

    @Test
    void aThrowableFollowsAsItsStackTraceLinesWithoutALevel() {
        log.error("failed", new IllegalStateException("boom"));
        assertThat(lines.get(0)).isEqualTo("ERROR failed");
        assertThat(lines.get(1)).isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(lines.get(2)).startsWith("\tat dev.weft.engine.log.LineLoggerTest.");
        assertThat(lines).noneMatch(l -> l.contains("\n") || l.contains("\r"));
    }

    @Test
    void linesBelowTheThresholdAreDropped() {
        log.debug("not shown");
        log.warn("shown");
        assertThat(lines).containsExactly("WARN shown");
    }
}
