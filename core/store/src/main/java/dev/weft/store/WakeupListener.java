package dev.weft.store;

import dev.weft.engine.EngineMetrics;
import dev.weft.engine.Wakeups;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Receives the wake-ups other Weft processes send with {@link NotifyWakeups} and passes them to this process's loops.
 * It listens on a dedicated connection (not a pooled one: {@code LISTEN} belongs to a session, and a pool would hand
 * the session to others or close it). A dropped connection (a restart, {@code pg_terminate_backend}, a failover) is
 * opened again with a backoff of up to {@link #MAX_BACKOFF}, and then every loop is woken for a full pass: a
 * notification lost in between costs no more than that pass. A connection that fails silently (a network partition)
 * is found by a round trip after {@link #CHECK_EVERY} without a notification.
 */
public final class WakeupListener implements AutoCloseable {
    /** Opens a new connection to the database, outside any pool. */
    public interface Connections {
        Connection open() throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(WakeupListener.class);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration CHECK_EVERY = Duration.ofSeconds(10);
    /** How long one wait for notifications lasts: bounds how long {@link #close()} waits for the thread. */
    private static final int WAIT_MILLIS = 500;

    private final Connections connections;
    private final String processId;
    private final Wakeups local;
    private final List<String> channels = new ArrayList<>(2);
    private final EngineMetrics metrics;
    private Thread thread;
    private volatile boolean running;

    /**
     * Listens, once started, on the channels of the loops this process runs.
     *
     * @param processId this process's payload in {@link NotifyWakeups}: its own notifications are not passed on
     * @param local     this process's loops
     * @param metrics   counts the notifications received from other processes, by channel
     */
    public WakeupListener(Connections connections, String processId, Wakeups local, boolean schedulers,
                          boolean workers, EngineMetrics metrics) {
        this.metrics = metrics;
        this.connections = connections;
        this.processId = processId;
        this.local = local;
        if (schedulers) {
            channels.add(NotifyWakeups.SCHEDULERS);
        }
        if (workers) {
            channels.add(NotifyWakeups.WORKERS);
        }
    }

    public synchronized void start() {
        if (!running && !channels.isEmpty()) {
            running = true;
            thread = Thread.ofPlatform().name("weft-listen").daemon(true).start(this::listenUntilClosed);
        }
    }

    private void listenUntilClosed() {
        Duration backoff = FIRST_BACKOFF;
        boolean dropped = false;
        while (running) {
            try (Connection connection = connections.open()) {
                try (Statement s = connection.createStatement()) {
                    s.execute(channels.stream().map(c -> "LISTEN " + c).collect(Collectors.joining("; ")));
                }
                if (dropped) {
                    LOG.warn("Listening for wake-ups again; every loop of this process makes a full pass");
                    local.notifySchedulers();
                    local.notifyWorkers();
                }
                dropped = false;
                backoff = FIRST_BACKOFF;
                receive(connection);
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!dropped) {
                    LOG.warn("The connection listening for wake-ups failed ({}); opening it again, until then this "
                            + "process's loops wake at their tick", e.getMessage());
                }
                dropped = true;
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private void receive(Connection connection) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        long quietSince = System.nanoTime();
        while (running) {
            PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
            if (notifications != null && notifications.length > 0) {
                quietSince = System.nanoTime();
                received(notifications);
            } else if (System.nanoTime() - quietSince > CHECK_EVERY.toNanos()) {
                // A silent network failure shows only on a round trip; a failed one throws and reconnects.
                try (Statement s = connection.createStatement()) {
                    s.execute("SELECT 1");
                }
                quietSince = System.nanoTime();
            }
        }
    }

    /** The one place a wake-up from another process arrives. */
    private void received(PGNotification[] notifications) {
        boolean schedulers = false;
        boolean workers = false;
        for (PGNotification n : notifications) {
            // "<sender>", or "<sender> <scheduler>" when the wake-up is for that scheduler alone (see NotifyWakeups).
            String[] payload = n.getParameter().split(" ", 2);
            if (processId.equals(payload[0]) || payload.length == 2 && !processId.equals(payload[1])) {
                continue;
            }
            metrics.wakeupReceived(n.getName());
            schedulers |= NotifyWakeups.SCHEDULERS.equals(n.getName());
            workers |= NotifyWakeups.WORKERS.equals(n.getName());
        }
        if (schedulers) {
            local.notifySchedulers();
        }
        if (workers) {
            local.notifyWorkers();
        }
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        try {
            thread.join(Duration.ofMillis(WAIT_MILLIS * 4L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
