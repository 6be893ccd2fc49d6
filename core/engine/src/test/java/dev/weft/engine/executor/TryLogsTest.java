package dev.weft.engine.executor;

import dev.weft.engine.store.LogStore;
import dev.weft.engine.store.TryKey;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A try's log on its way to the store: capped with head and tail, bounded in memory, never held back by one line. */
class TryLogsTest {
    private static final TryKey TRY = new TryKey(7, 1);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

    /** Stores lines in memory; refuses for good any batch with a NUL character, and fails {@code transientFailures} times. */
    private static final class MemoryLog implements LogStore {
        final List<String> lines = new ArrayList<>();
        final AtomicInteger transientFailures = new AtomicInteger();

        @Override
        public void append(Collection<Line> batch) {
            if (transientFailures.getAndDecrement() > 0) {
                throw new IllegalStateException(new SQLException("terminating connection", "57P01"));
            }
            if (batch.stream().anyMatch(l -> l.text().indexOf('\0') >= 0)) {
                throw new IllegalStateException(new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00",
                        "22021"));
            }
            batch.forEach(l -> lines.add(l.text()));
        }

        @Override
        public Chunk read(long tiId, int tryNumber, long afterId, int limit) {
            throw new UnsupportedOperationException();
        }
    }

    private final MemoryLog store = new MemoryLog();
    private final AtomicInteger batchesWritten = new AtomicInteger();

    private TryLogs logs(long maxBytesPerTry, int maxPendingLines) {
        TryLogs logs = new TryLogs(store, new TryLogs.Settings(maxBytesPerTry, maxPendingLines, Duration.ofMillis(1), 50),
                CLOCK, batchesWritten::incrementAndGet);
        logs.begin(TRY);
        return logs;
    }

    private static LogStore.Line line(String text) {
        return new LogStore.Line(TRY.id(), TRY.tryNumber(), CLOCK.instant(), text);
    }

    @Test
    void aTryEndingWithNothingLeftToWriteDoesNotWakeTheLogLoop() throws InterruptedException {
        TryLogs logs = logs(1000, 10_000);
        logs.queued().await(Duration.ZERO);
        logs.end(TRY); // a re-poke whose lines were only counted: nothing queued

        assertThat(logs.queued().await(Duration.ZERO)).as("woken for nothing").isFalse();
        assertThat(logs.written(TRY)).isTrue();

        TryKey other = new TryKey(8, 1);
        logs.begin(other);
        logs.add(new LogStore.Line(other.id(), other.tryNumber(), CLOCK.instant(), "a line"));
        assertThat(logs.queued().await(Duration.ZERO)).as("woken for a line").isTrue();
    }

    @Test
    void aLogLongerThanTheCapKeepsItsHeadAndItsTailAndSaysHowMuchWasCut() {
        TryLogs logs = logs(1000, 10_000);
        for (int i = 0; i < 1000; i++) {
            logs.add(line(String.format("line %04d of a chatty task", i))); // 26 bytes and a newline
        }
        logs.add(line("done"));
        logs.writeAll();
        assertThat(logs.written(TRY)).as("the tail waits for the try's end").isFalse();
        logs.end(TRY);
        logs.writeAll();
        assertThat(logs.written(TRY)).isTrue();

        assertThat(store.lines.get(0)).isEqualTo("line 0000 of a chatty task");
        assertThat(store.lines).last().isEqualTo("done");
        assertThat(store.lines).anyMatch(l -> l.contains("reached 500 bytes: from here on only its last 500 bytes"));
        String cut = store.lines.stream().filter(l -> l.contains("cut here")).findFirst().orElseThrow();
        int head = store.lines.indexOf(store.lines.stream().filter(l -> l.contains("reached")).findFirst().orElseThrow());
        int tail = store.lines.size() - store.lines.indexOf(cut) - 1;
        // 500 bytes hold 18 lines of 27 bytes each: the rest of the 1,001 lines are cut from the middle.
        assertThat(head).isEqualTo(18);
        assertThat(tail).as("18 lines and \"done\"").isEqualTo(19);
        assertThat(cut).startsWith("WARN [" + (1001 - head - tail) + " lines (");
        assertThat(store.lines.get(store.lines.size() - 2)).isEqualTo("line 0999 of a chatty task");
    }

    @Test
    void aLineLongerThanTheCapIsCut() {
        TryLogs logs = logs(1000, 100);
        logs.add(line("x".repeat(10_000)));
        logs.end(TRY);
        logs.writeAll();
        assertThat(store.lines).hasSize(1);
        assertThat(store.lines.get(0)).startsWith("x".repeat(125) + " [9875 more characters of this line cut");
    }

    @Test
    void aTaskLoggingIntoAFullQueueWaitsThenDropsItsLinesAndTheirCountIsLogged() {
        TryLogs logs = logs(1 << 20, 3);
        for (int i = 0; i < 10; i++) {
            logs.add(line("line " + i));
        }
        assertThat(logs.pending()).isEqualTo(3);
        logs.end(TRY);
        logs.writeAll();
        assertThat(store.lines).containsExactly("line 0", "line 1", "line 2",
                "WARN 7 lines of this try were dropped: it logged faster than the worker could write its log");
        assertThat(logs.written(TRY)).isTrue();
    }

    @Test
    void aLineTheStoreRefusesIsReplacedByANoteAndDoesNotHoldBackTheOthers() {
        TryLogs logs = logs(1 << 20, 100);
        logs.add(line("before"));
        logs.add(line("a NUL: \0"));
        logs.add(line("after"));
        logs.end(TRY);
        logs.writeAll();
        assertThat(store.lines).hasSize(3).startsWith("before").endsWith("after");
        assertThat(store.lines.get(1)).startsWith("ERROR [a line of this log that the database refused: invalid byte");
        assertThat(logs.written(TRY)).isTrue();
    }

    @Test
    void linesOfAWriteThatFailedForAMomentAreWrittenOnceInOrder() {
        TryLogs logs = logs(1 << 20, 100);
        logs.add(line("one"));
        logs.add(line("two"));
        logs.end(TRY);
        store.transientFailures.set(1);
        assertThatThrownBy(logs::writeAll).hasMessageContaining("terminating connection");
        assertThat(logs.written(TRY)).isFalse();
        logs.writeAll();
        assertThat(store.lines).containsExactly("one", "two");
        assertThat(logs.written(TRY)).isTrue();
    }

    @Test
    void linesOfATryNotBegunOrEndedAreIgnored() {
        TryLogs logs = logs(1 << 20, 100);
        logs.add(new LogStore.Line(8, 1, CLOCK.instant(), "not begun"));
        logs.end(TRY);
        logs.add(line("after the end"));
        logs.writeAll();
        assertThat(store.lines).isEmpty();
        assertThat(batchesWritten).hasValue(0);
    }
}
