package dev.weft.store;

import dev.weft.engine.EngineMetrics;
import dev.weft.engine.Signal;
import dev.weft.engine.Wakeups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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
 */
public final class NotifyWakeups implements Wakeups, AutoCloseable {
    /** Heard by every process that runs a scheduler loop. */
    static final String SCHEDULERS = "weft_scheduler";
    /** Heard by every process that runs a worker loop. */
    static final String WORKERS = "weft_worker";
    private static final Logger LOG = LoggerFactory.getLogger(NotifyWakeups.class);

    private final WakeupListener.Connections connections;
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

    /**
     * @param connections opens the sender's connection, outside any pool
     * @param processId   unique to this process, sent as the payload
     * @param metrics     counts the notifications sent, by channel
     */
    public NotifyWakeups(WakeupListener.Connections connections, String processId, EngineMetrics metrics) {
        this.connections = connections;
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
            if (schedulers.getAndSet(false)) {
                channels.add(SCHEDULERS);
            }
            if (workers.getAndSet(false)) {
                channels.add(WORKERS);
            }
            if (!channels.isEmpty()) {
                send(channels);
            }
        }
    }

    /** The one place a wake-up leaves this process. */
    private void send(List<String> channels) {
        try {
            try {
                notify(channels);
            } catch (SQLException dropped) {
                // An idle connection the database dropped (a restart, a failover) fails only when used: once more on a
                // new one, so that the wake-up still leaves now.
                closeConnection();
                notify(channels);
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

    private void notify(List<String> channels) throws SQLException {
        if (connection == null) {
            connection = connections.open();
            connection.setAutoCommit(true);
            try (Statement s = connection.createStatement()) {
                // A NOTIFY commits like a write (it takes a transaction id): without waiting for the WAL flush, the
                // wake-up leaves at once. A crash may lose it, which costs a tick, as any lost wake-up does. The
                // session only ever notifies, so the setting concerns nothing else.
                s.execute("SET synchronous_commit TO off");
            }
            notify = connection.prepareStatement("SELECT count(pg_notify(c, ?)) FROM unnest(?::text[]) c");
        }
        notify.setString(1, processId);
        notify.setArray(2, connection.createArrayOf("text", channels.toArray()));
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
