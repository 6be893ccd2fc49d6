package dev.weft.engine.executor;

import dev.weft.engine.store.SensorWakeStore;
import dev.weft.engine.store.TryKey;
import dev.weft.spi.WatchedPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The file watcher on the real file system: which directories it watches, and whom an event wakes. */
class FileWatcherTest {
    private static final Duration GENEROUS = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** A store whose tries are "running" (a poke in progress) for the first {@code busyCalls} wakes. */
    static final class FakeStore implements SensorWakeStore {
        final List<Collection<Long>> wakes = new CopyOnWriteArrayList<>();
        final AtomicInteger busyCalls;
        volatile boolean poking = true;

        FakeStore(int busyCalls) {
            this.busyCalls = new AtomicInteger(busyCalls);
        }

        @Override
        public List<Long> wakeRescheduled(Collection<Long> ids, Instant now) {
            wakes.add(List.copyOf(ids));
            return busyCalls.getAndDecrement() > 0 ? List.of() : List.copyOf(ids);
        }

        @Override
        public List<Long> running(Collection<Long> ids) {
            return poking ? List.copyOf(ids) : List.of();
        }
    }

    private final FakeStore store = new FakeStore(1);
    private final AtomicInteger schedulerSignals = new AtomicInteger();
    private final FileWatcher watcher = new FileWatcher(store, schedulerSignals::incrementAndGet, Clock.systemUTC());

    @AfterEach
    void close() {
        watcher.close();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("within %s", GENEROUS).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static TryKey firstTry(long tiId) {
        return new TryKey(tiId, 1);
    }

    @Test
    void aRetryWatchedWhileTheOlderTryOfItsTaskInstanceEndsKeepsItsWatch() throws Exception {
        // A retry claimed by the same worker while the older try still ran: the older one ends after the retry began.
        List<WatchedPath> watched = List.of(new WatchedPath(dir + "/ready.csv", false));
        AtomicInteger olderPokes = new AtomicInteger();
        AtomicInteger retryPokes = new AtomicInteger();
        watcher.watch(new TryKey(5, 1), watched, olderPokes::incrementAndGet);
        watcher.watch(new TryKey(5, 2), watched, retryPokes::incrementAndGet);
        watcher.unwatch(new TryKey(5, 1));
        assertThat(watcher.watchedTries()).isEqualTo(1);

        Files.writeString(dir.resolve("ready.csv"), "x\n");
        await(() -> retryPokes.get() > 0);
        assertThat(olderPokes).hasValue(0);
    }

    @Test
    void aRecursiveGlobIsFollowedIntoDirectoriesThatAppearLater() throws Exception {
        AtomicInteger pokes = new AtomicInteger();
        watcher.watch(firstTry(1), List.of(new WatchedPath(dir + "/in/**/part-*.csv", true)), pokes::incrementAndGet);
        assertThat(watcher.watchedDirectories()).isEqualTo(1); // the nearest existing directory: dir

        Files.createDirectories(dir.resolve("in/2026/11"));
        await(() -> watcher.watchedDirectories() == 4); // dir, in, in/2026, in/2026/11
        pokes.set(0);
        Files.writeString(dir.resolve("in/2026/11/part-1.csv"), "x\n");
        await(() -> pokes.get() > 0);
    }

    @Test
    void aTryWokenByAFileEventSaysSoOnceAtItsNextPoke() throws Exception {
        AtomicInteger pokes = new AtomicInteger();
        watcher.watch(firstTry(3), List.of(new WatchedPath(dir + "/ready.csv", false)), pokes::incrementAndGet);
        assertThat(watcher.takeWake(firstTry(3))).isFalse(); // not woken yet: a poke now would be its poll
        Files.writeString(dir.resolve("ready.csv"), "x\n");
        await(() -> pokes.get() > 0);
        assertThat(watcher.takeWake(firstTry(3))).isTrue();
        assertThat(watcher.takeWake(firstTry(3))).isFalse();
    }

    @Test
    void triesWaitingInOneDirectoryShareItsWatchUntilTheLastIsUnwatched() throws Exception {
        Files.createDirectories(dir.resolve("x"));
        for (long id = 1; id <= 100; id++) {
            watcher.watch(firstTry(id), List.of(new WatchedPath(dir + "/x/file-" + id + ".csv", false)), null);
        }
        assertThat(watcher.watchedTries()).isEqualTo(100);
        assertThat(watcher.watchedDirectories()).isEqualTo(1);
        for (long id = 1; id <= 99; id++) {
            watcher.unwatch(firstTry(id));
        }
        assertThat(watcher.watchedDirectories()).isEqualTo(1);
        watcher.unwatch(firstTry(100));
        assertThat(watcher.watchedTries()).isZero();
        assertThat(watcher.watchedDirectories()).isZero();
    }

    @Test
    void aRescheduleWakeWhilePokingIsRetriedUntilTheStoreTakesIt() throws Exception {
        watcher.watch(firstTry(7), List.of(new WatchedPath(dir + "/data-*.csv", false)), null);
        watcher.watch(firstTry(8), List.of(new WatchedPath(dir + "/other.csv", false)), null);
        Files.writeString(dir.resolve("data-1.csv"), "x\n");
        await(() -> schedulerSignals.get() > 0);
        // The first wake found the try still poking (running), the retry made it due; the other try was not woken.
        assertThat(store.wakes).hasSizeGreaterThanOrEqualTo(2).allSatisfy(ids -> assertThat(ids).containsExactly(7L));
    }

    @Test
    void aTryThatIsNeitherWaitingNorPokingIsNoLongerWatchedAfterItsNextEvent() throws Exception {
        store.busyCalls.set(Integer.MAX_VALUE); // never woken: the try has moved on (finished, cleared, ...)
        store.poking = false;
        watcher.watch(firstTry(9), List.of(new WatchedPath(dir + "/data.csv", false)), null);
        assertThat(watcher.watchedTries()).isEqualTo(1);
        Files.writeString(dir.resolve("data.csv"), "x\n");
        await(() -> watcher.watchedTries() == 0);
        assertThat(watcher.watchedDirectories()).isZero();
        assertThat(store.wakes).containsExactly(List.of(9L));
        assertThat(schedulerSignals.get()).isZero();
    }
}
