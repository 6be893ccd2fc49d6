package dev.weft.store;

import dev.weft.engine.EngineMetrics;
import dev.weft.engine.Wakeups;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wake-ups between processes on a real PostgreSQL, each "process" here a sender and a listener with its own id: a
 * notification reaches the loops of the others that listen on its channel, not the sender's own, and a listening
 * connection the database terminated is opened again and followed by a wake-up of every loop.
 */
class NotifyWakeupsTest {
    private static final long PATIENCE_SECONDS = 30;
    private final TestDatabase db = TestDatabase.create();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        db.close();
    }

    /** A process's sender, and a listener that records which of its loops were woken. */
    private record Process(NotifyWakeups sender, BlockingQueue<String> woken, String id) {
    }

    private Process process(String id, boolean scheduler, boolean worker) throws Exception {
        BlockingQueue<String> woken = new LinkedBlockingQueue<>();
        NotifyWakeups sender = new NotifyWakeups(() -> connect(id + "-sender"), db.database().heartbeats(), id,
                Clock.systemUTC(), EngineMetrics.NONE);
        WakeupListener listener = new WakeupListener(() -> connect(id), id,
                Wakeups.of(() -> woken.add("scheduler"), () -> woken.add("worker")), scheduler, worker,
                EngineMetrics.NONE);
        open.add(sender);
        open.add(listener);
        listener.start();
        Process p = new Process(sender, woken, id);
        if (scheduler || worker) {
            awaitListening(p, scheduler ? NotifyWakeups.SCHEDULERS : NotifyWakeups.WORKERS);
        }
        return p;
    }

    @Test
    void aNotificationWakesTheOtherProcessesLoopsOnItsChannelOnly() throws Exception {
        Process api = process("api", false, false);
        Process scheduler = process("scheduler", true, false);
        Process worker = process("worker", false, true);
        Process standalone = process("standalone", true, true);
        forgetProbes(scheduler, worker, standalone);

        api.sender().notifySchedulers();
        assertThat(next(scheduler)).isEqualTo("scheduler");
        assertThat(next(standalone)).isEqualTo("scheduler");

        standalone.sender().notifyWorkers();
        assertThat(next(worker)).isEqualTo("worker");

        // The sender's own loops were woken in-process: its listener passes nothing on.
        worker.sender().notifyWorkers();
        assertThat(next(standalone)).isEqualTo("worker");
        assertThat(worker.woken()).isEmpty();
        assertThat(scheduler.woken()).as("a scheduler does not listen for queued work").isEmpty();
    }

    @Test
    void aSchedulersWakeUpWakesOneLiveSchedulerInTurnAndNoneWhenTheSenderRunsOne() throws Exception {
        Process a = process("scheduler-a", true, false);
        Process b = process("scheduler-b", true, false);
        Process dead = process("scheduler-dead", true, false);
        Instant now = Instant.now();
        db.database().heartbeats().schedulerHeartbeat("scheduler-a", "host", 1, now);
        db.database().heartbeats().schedulerHeartbeat("scheduler-b", "host", 2, now);
        db.database().heartbeats().schedulerHeartbeat("scheduler-dead", "host", 3,
                now.minus(NotifyWakeups.LIVE_WITHIN).minusSeconds(1));
        Process api = process("api", false, false);
        forgetProbes(a, b, dead);

        List<String> woken = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            api.sender().notifySchedulers();
            woken.add(nextOf(a, b));
            Thread.sleep(100); // the next request is a send of its own, not coalesced with this one
        }
        assertThat(woken).as("one scheduler per wake-up, the live ones in turn").isIn(
                List.of("scheduler-a", "scheduler-b", "scheduler-a", "scheduler-b"),
                List.of("scheduler-b", "scheduler-a", "scheduler-b", "scheduler-a"));
        Thread.sleep(200);
        assertThat(a.woken()).as("woken once per wake-up").isEmpty();
        assertThat(b.woken()).isEmpty();
        assertThat(dead.woken()).as("a scheduler without a recent heartbeat is not named").isEmpty();

        // Scheduler A's own wake-up went to its own loop in-process: nobody else is woken.
        a.sender().notifySchedulers();
        Thread.sleep(500);
        assertThat(b.woken()).isEmpty();
        assertThat(dead.woken()).isEmpty();
    }

    @Test
    void aTerminatedListeningConnectionIsOpenedAgainAndEveryLoopMakesAFullPass() throws Exception {
        Process standalone = process("standalone", true, true);
        Process other = process("other", false, false);

        terminate("standalone");
        List<String> fullPass = List.of(next(standalone), next(standalone));
        assertThat(fullPass).containsExactlyInAnyOrder("scheduler", "worker");

        other.sender().notifySchedulers();
        assertThat(next(standalone)).isEqualTo("scheduler");
    }

    @Test
    void aTerminatedSendingConnectionIsReplacedWithoutLosingTheWakeUp() throws Exception {
        Process scheduler = process("scheduler", true, false);
        Process api = process("api", false, false);
        api.sender().notifySchedulers();
        assertThat(next(scheduler)).isEqualTo("scheduler");

        terminate("api-sender");
        api.sender().notifySchedulers();
        assertThat(next(scheduler)).as("the wake-up sent on a new connection").isEqualTo("scheduler");
    }

    private Connection connect(String applicationName) throws SQLException {
        return DriverManager.getConnection(db.url() + (db.url().contains("?") ? "&" : "?") + "ApplicationName="
                + applicationName);
    }

    private void terminate(String applicationName) throws SQLException {
        try (Connection admin = DriverManager.getConnection(db.url()); PreparedStatement s = admin.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?")) {
            s.setString(1, applicationName);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                assertThat(r.getInt(1)).as("backends of " + applicationName + " terminated").isEqualTo(1);
            }
        }
    }

    /** The probes that showed a listener listening reached the others too: they are not what a test looks at. */
    private static void forgetProbes(Process... processes) throws InterruptedException {
        Thread.sleep(200);
        for (Process p : processes) {
            p.woken().clear();
        }
    }

    private static String next(Process p) throws InterruptedException {
        String woken = p.woken().poll(PATIENCE_SECONDS, TimeUnit.SECONDS);
        assertThat(woken).as("a wake-up of " + p.id() + " within " + PATIENCE_SECONDS + " s").isNotNull();
        return woken;
    }

    /** The id of whichever of the processes is woken first. */
    private static String nextOf(Process... processes) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(PATIENCE_SECONDS).toNanos();
        while (System.nanoTime() < until) {
            for (Process p : processes) {
                if (p.woken().poll() != null) {
                    return p.id();
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("none woken within " + PATIENCE_SECONDS + " s");
    }

    /** Waits until the listener of {@code p} hears a probe on the channel of one of its loops, then forgets it. */
    private void awaitListening(Process p, String channel) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(PATIENCE_SECONDS).toNanos();
        while (System.nanoTime() < until) {
            db.database().jdbi().useHandle(h -> h.createQuery("SELECT pg_notify(:c, 'probe')").bind("c", channel)
                    .mapTo(String.class).one());
            if (p.woken().poll(50, TimeUnit.MILLISECONDS) != null) {
                Thread.sleep(50);
                p.woken().clear();
                return;
            }
        }
        throw new AssertionError(p.id() + " did not listen within " + PATIENCE_SECONDS + " s");
    }
}
