package dev.weft.store;

import dev.weft.engine.EngineMetrics;
import dev.weft.engine.Signal;
import dev.weft.engine.Wakeups;
import dev.weft.engine.store.HeartbeatStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wakes the loops of the other Weft processes on the same database with PostgreSQL {@code NOTIFY}, which the
 * {@link WakeupListener}s of those processes receive. Requests are coalesced: callers only raise a flag, and one
 * thread sends a {@code NOTIFY} per channel for every request made since its last send (each caller's change has
 * committed). It sends on a connection of its own, outside the pool, as one auto-committed statement: one round trip
 * per wake-up, where a pooled transaction took a borrow and three. The payload names the sending process, whose own
 * listener ignores it: its loops were woken in-process already. A send that fails is logged and dropped (the tick is
 * the safety net), and its connection is closed; the next send opens another.
 *
 * <p><b>One scheduler per wake-up.</b> Woken together, the schedulers would each make a pass for the same change and
 * contend for its runs and the queueing lock, taking the CPU the one that gets them needs. A wake-up for the
 * schedulers therefore names one of them in its payload ({@code <sender> <scheduler>}), taken in turn from those that
 * heartbeat within {@link #LIVE_WITHIN} (read at most every {@link #SCHEDULERS_READ_EVERY}); the others' listeners
 * pass it over. None is named, and every scheduler woken, when none heartbeats (or they cannot be read). A process
 * that runs a scheduler itself sends none: its own was woken in-process. A named scheduler that died since its last
 * heartbeat loses the wake-up; the others' tick takes the change up within a second.
 */
public final class NotifyWakeups implements Wakeups, AutoCloseable {
    /** Heard by every process that runs a scheduler loop. */
    static final String SCHEDULERS = "weft_scheduler";
    /** Heard by every process that runs a worker loop. */
    static final String WORKERS = "weft_worker";
    /** A scheduler is named in wake-ups while its latest heartbeat (every 5 s) is younger than three. */
    static final Duration LIVE_WITHIN = Duration.ofSeconds(15);
    private static final Duration SCHEDULERS_READ_EVERY = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(NotifyWakeups.class);

    private final WakeupListener.Connections connections;
    private final HeartbeatStore heartbeats;
    private final Clock clock;
    private final String processId;
    private final AtomicBoolean schedulers = new AtomicBoolean();
    private final AtomicBoolean workers = new AtomicBoolean();
    private final Signal requested = new Signal();
    private final Thread sender;
    private final EngineMetrics metrics;
    private volatile boolean running = true;
    private boolean failing;
    /** The sender thread's connection; null until the first send, and after a failed one. */
    private Connection connection;
    private PreparedStatement notify;
    /** The schedulers that heartbeat, by id, as last read; only the sender thread touches these. */
    private List<String> liveSchedulers = List.of();
    private Instant schedulersReadAt = Instant.MIN;
    private int nextScheduler;

    /**
     * @param connections opens the sender's connection, outside any pool
     * @param heartbeats  the schedulers' heartbeats: who may be named in a wake-up
     * @param processId   unique to this process (its scheduler's id when it runs one), sent in the payload
     * @param metrics     counts the notifications sent, by channel
     */
    public NotifyWakeups(WakeupListener.Connections connections, HeartbeatStore heartbeats, String processId,
                         Clock clock, EngineMetrics metrics) {
        this.connections = connections;
        this.heartbeats = heartbeats;
        this.clock = clock;
        this.processId = processId;
        this.metrics = metrics;
        this.sender = Thread.ofPlatform().name("weft-notify").daemon(true).start(this::sendUntilClosed);
    }

    @Override
    public void notifySchedulers() {
        schedulers.set(true);
        requested.signal();
    }

    @Override
    public void notifyWorkers() {
        workers.set(true);
        requested.signal();
    }

    private void sendUntilClosed() {
        while (running) {
            try {
                requested.await(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                return;
            }
            List<String> channels = new ArrayList<>(2);
            List<String> payloads = new ArrayList<>(2);
            if (schedulers.getAndSet(false)) {
                String scheduler = schedulerToWake();
                if (!processId.equals(scheduler)) {
                    channels.add(SCHEDULERS);
                    payloads.add(scheduler == null ? processId : processId + " " + scheduler);
                }
            }
            if (workers.getAndSet(false)) {
                channels.add(WORKERS);
                payloads.add(processId);
            }
            if (!channels.isEmpty()) {
                send(channels, payloads);
            }
        }
    }

    /** The scheduler a wake-up names: each live one in turn, this process's own if it runs one; null for all. */
    private String schedulerToWake() {
        Instant now = clock.instant();
        if (!now.isBefore(schedulersReadAt.plus(SCHEDULERS_READ_EVERY))) {
            schedulersReadAt = now;
            try {
                liveSchedulers = heartbeats.schedulers(now.minus(LIVE_WITHIN)).stream()
                        .map(HeartbeatStore.Heartbeat::id).sorted().toList();
            } catch (RuntimeException e) {
                LOG.debug("Could not read the schedulers' heartbeats: waking every scheduler", e);
                liveSchedulers = List.of();
            }
        }
        if (liveSchedulers.isEmpty()) {
            return null;
        }
        if (liveSchedulers.contains(processId)) {
            return processId;
        }
        nextScheduler = (nextScheduler + 1) % liveSchedulers.size();
        return liveSchedulers.get(nextScheduler);
    }

    /** The one place a wake-up leaves this process. */
    private void send(List<String> channels, List<String> payloads) {
        try {
            try {
                notify(channels, payloads);
            } catch (SQLException dropped) {
                // An idle connection the database dropped (a restart, a failover) fails only when used: once more on a
                // new one, so that the wake-up still leaves now.
                closeConnection();
                notify(channels, payloads);
            }
            channels.forEach(metrics::wakeupSent);
            if (failing) {
                failing = false;
                LOG.info("Wake-up notifications are sent again");
            }
        } catch (SQLException | RuntimeException e) {
            closeConnection();
            if (!failing) {
                failing = true;
                LOG.warn("Could not notify the other Weft processes ({}); they notice the change at their next tick "
                        + "until the database answers again", e.getMessage());
            }
        }
    }

    private void notify(List<String> channels, List<String> payloads) throws SQLException {
        if (connection == null) {
            connection = connections.open();
            connection.setAutoCommit(true);
            try (Statement s = connection.createStatement()) {
                // A NOTIFY commits like a write (it takes a transaction id): without waiting for the WAL flush, the
                // wake-up leaves at once. A crash may lose it, which costs a tick, as any lost wake-up does. The
                // session only ever notifies, so the setting concerns nothing else.
                s.execute("SET synchronous_commit TO off");
            }
            notify = connection.prepareStatement(
                    "SELECT count(pg_notify(c, p)) FROM unnest(?::text[], ?::text[]) AS n(c, p)");
        }
        notify.setArray(1, connection.createArrayOf("text", channels.toArray()));
        notify.setArray(2, connection.createArrayOf("text", payloads.toArray()));
        notify.executeQuery().close();
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Failed already: nothing to release that the database has not dropped.
            }
            connection = null;
            notify = null;
        }
    }

    @Override
    public void close() {
        running = false;
        requested.signal();
        try {
            sender.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!sender.isAlive()) {
            closeConnection();
        }
    }
}
