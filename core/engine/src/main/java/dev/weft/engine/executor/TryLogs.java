package dev.weft.engine.executor;

import dev.weft.engine.Signal;
import dev.weft.engine.store.LogStore;
import dev.weft.engine.store.StoreFailures;
import dev.weft.engine.store.TryKey;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The log lines of a worker's tries on their way to the store, in bounded memory, written in bounded batches by
 * {@link #writeBatch()} (the worker's log loop), apart from the worker pass.
 *
 * <p><b>A try's log is capped</b> at {@code maxBytesPerTry} (UTF-8 bytes of its lines): its first half is written as
 * it comes; past it, only the last half is kept (in memory), and written when the try ends, after a line that says
 * how much was cut from the middle.
 *
 * <p><b>Back-pressure.</b> At most {@code maxPendingLines} lines wait to be written. A task that logs into a full
 * queue waits for room up to {@code producerWait} per line (a chatty task is slowed to the store's pace); a line that
 * still finds no room is dropped and counted, and the try does not wait again until one of its lines gets in (a store
 * that is down must not stall tasks). The count is in the try's log when it ends. What a try's end adds (its tail and
 * the notes) is queued even when the queue is full, so it is bounded by the cap of each try.
 */
final class TryLogs {
    /**
     * @param maxBytesPerTry  the most of a try's log that is kept: its first and last halves
     * @param maxPendingLines the most lines waiting to be written before tasks that log wait
     * @param producerWait    how long a task that logs waits for room before its line is dropped
     * @param batchLines      the most lines written in one append
     */
    record Settings(long maxBytesPerTry, int maxPendingLines, Duration producerWait, int batchLines) {
        static final Settings DEFAULTS = new Settings(8L << 20, 20_000, Duration.ofSeconds(1), 2_000);
    }

    /** One try's log: how much of it went to the queue, its kept tail, and what was cut or dropped. */
    private static final class TryLog {
        long headBytes;
        final ArrayDeque<LogStore.Line> tail = new ArrayDeque<>();
        long tailBytes;
        long cutLines;
        long cutBytes;
        long dropped;
        boolean ended;
        /** Whether its last line found no room: it does not wait again until one gets in. */
        volatile boolean dropping;
        /** Lines queued and not committed yet. */
        final AtomicInteger unwritten = new AtomicInteger();
    }

    private final LogStore store;
    private final Settings settings;
    private final Clock clock;
    private final Map<TryKey, TryLog> tries = new ConcurrentHashMap<>();
    /** Lines to write, in order; a batch leaves it only once committed, so a failed write is retried first. */
    private final ArrayDeque<LogStore.Line> queue = new ArrayDeque<>();
    private final Runnable written;
    /** Given when lines arrive in an empty queue: the log loop waits for it. */
    private final Signal queued = new Signal();

    /** {@code written} is told after each committed batch (a try whose log is complete may be written back). */
    TryLogs(LogStore store, Settings settings, Clock clock, Runnable written) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.written = written;
    }

    /** Starts collecting the lines of a try; lines of tries not begun (or already ended) are ignored. */
    void begin(TryKey key) {
        tries.putIfAbsent(key, new TryLog());
    }

    /**
     * Adds a line of a try's log, from any thread; see the class comment for when it waits or drops. A line longer
     * than an eighth of the cap (in characters) is cut to that.
     */
    void add(LogStore.Line line) {
        TryLog log = tries.get(new TryKey(line.tiId(), line.tryNumber()));
        if (log == null) {
            return;
        }
        line = shortened(line);
        long bytes = line.text().getBytes(StandardCharsets.UTF_8).length + 1;
        synchronized (log) {
            if (log.ended) {
                return;
            }
            if (log.headBytes + bytes > settings.maxBytesPerTry() / 2) {
                keepInTail(log, line, bytes);
                return;
            }
            log.headBytes += bytes;
        }
        boolean queued = enqueue(line, log);
        log.dropping = !queued;
        if (!queued) {
            synchronized (log) {
                log.dropped++;
            }
        }
    }

    private void keepInTail(TryLog log, LogStore.Line line, long bytes) {
        if (log.tail.isEmpty() && log.cutLines == 0) {
            log.headBytes = settings.maxBytesPerTry(); // full: no later, shorter line may slip into the head
            log.unwritten.incrementAndGet();
            forceEnqueue(note(line, "WARN This try's log reached " + human(settings.maxBytesPerTry() / 2)
                    + ": from here on only its last " + human(settings.maxBytesPerTry() / 2) + " are kept, and written"
                    + " when the try ends (maxLogBytesPerTry is " + human(settings.maxBytesPerTry()) + ")"));
        }
        log.tail.addLast(line);
        log.tailBytes += bytes;
        while (log.tailBytes > settings.maxBytesPerTry() / 2 && log.tail.size() > 1) {
            LogStore.Line cut = log.tail.removeFirst();
            long cutBytes = cut.text().getBytes(StandardCharsets.UTF_8).length + 1;
            log.tailBytes -= cutBytes;
            log.cutLines++;
            log.cutBytes += cutBytes;
        }
    }

    /**
     * The try's code returned (or was abandoned): queues its kept tail after a note of what was cut and dropped.
     * Lines it adds later are ignored.
     */
    void end(TryKey key) {
        TryLog log = tries.get(key);
        if (log == null) {
            return;
        }
        List<LogStore.Line> rest = new ArrayList<>();
        synchronized (log) {
            if (log.ended) {
                return;
            }
            log.ended = true;
            LogStore.Line first = log.tail.peekFirst();
            if (log.cutLines > 0 && first != null) {
                rest.add(note(first, "WARN [" + log.cutLines + " lines (" + human(log.cutBytes) + ") cut here: a try"
                        + " keeps the first and the last " + human(settings.maxBytesPerTry() / 2) + " of its log"
                        + " (maxLogBytesPerTry)]"));
            }
            rest.addAll(log.tail);
            log.tail.clear();
            if (log.dropped > 0) {
                rest.add(new LogStore.Line(key.id(), key.tryNumber(), clock.instant(), "WARN " + log.dropped
                        + " lines of this try were dropped: it logged faster than the worker could write its log"));
            }
            log.unwritten.addAndGet(rest.size());
        }
        if (rest.isEmpty()) {
            return; // most re-pokes: nothing to write, so the log loop is not woken for it
        }
        synchronized (queue) {
            boolean wasEmpty = queue.isEmpty();
            queue.addAll(rest);
            wake(wasEmpty);
        }
    }

    /**
     * Whether the try ended and every line of it is written; once it is, the try is forgotten. Tries that were never begun
     * count as written.
     */
    boolean written(TryKey key) {
        TryLog log = tries.get(key);
        if (log == null) {
            return true;
        }
        synchronized (log) {
            if (!log.ended || log.unwritten.get() > 0) {
                return false;
            }
        }
        tries.remove(key);
        return true;
    }

    /** Forgets a try whose outcome will never be written by this worker (it could not start). */
    void forget(TryKey key) {
        tries.remove(key);
    }

    /**
     * Writes up to one batch of queued lines (first those of a write that failed), in order; returns whether lines
     * remain. When the store fails the lines stay, and this throws. Called by one thread at a time.
     */
    synchronized boolean writeBatch() {
        List<LogStore.Line> batch = new ArrayList<>();
        synchronized (queue) {
            for (LogStore.Line line : queue) {
                if (batch.size() == settings.batchLines()) {
                    break;
                }
                batch.add(line);
            }
        }
        if (!batch.isEmpty()) {
            append(batch);
            synchronized (queue) {
                // Only this method removes lines, and others only add at the end: the batch is still the head.
                for (int i = 0; i < batch.size(); i++) {
                    queue.removeFirst();
                }
                queue.notifyAll();
            }
            for (LogStore.Line line : batch) {
                TryLog log = tries.get(new TryKey(line.tiId(), line.tryNumber()));
                if (log != null) {
                    log.unwritten.decrementAndGet();
                }
            }
            written.run();
        }
        synchronized (queue) {
            return !queue.isEmpty();
        }
    }

    /**
     * Appends a batch; when the store refuses it for a reason that will not pass, writes its lines one by one, each
     * refused line replaced by a note with the database's error, so that one line cannot hold back a try's log (nor
     * its outcome, which waits for it).
     */
    private void append(List<LogStore.Line> batch) {
        try {
            store.append(batch);
        } catch (RuntimeException e) {
            if (StoreFailures.isTransient(e)) {
                throw e;
            }
            for (LogStore.Line line : batch) {
                try {
                    store.append(List.of(line));
                } catch (RuntimeException refused) {
                    if (StoreFailures.isTransient(refused)) {
                        throw refused;
                    }
                    store.append(List.of(new LogStore.Line(line.tiId(), line.tryNumber(), line.loggedAt(),
                            "ERROR [a line of this log that the database refused: " + StoreFailures.message(refused)
                                    + "]")));
                }
            }
        }
    }

    /** Writes every queued line; throws when the store fails (the rest stays queued). */
    void writeAll() {
        while (writeBatch()) {
            // one batch after another, until the queue is empty
        }
    }

    /** Lines waiting to be written. */
    int pending() {
        synchronized (queue) {
            return queue.size();
        }
    }

    private boolean enqueue(LogStore.Line line, TryLog log) {
        long waitUntil = System.nanoTime() + settings.producerWait().toNanos();
        synchronized (queue) {
            while (queue.size() >= settings.maxPendingLines()) {
                long left = waitUntil - System.nanoTime();
                if (left <= 0 || log.dropping) {
                    return false;
                }
                try {
                    queue.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            log.unwritten.incrementAndGet();
            boolean wasEmpty = queue.isEmpty();
            queue.addLast(line);
            wake(wasEmpty);
            return true;
        }
    }

    private void forceEnqueue(LogStore.Line line) {
        synchronized (queue) {
            boolean wasEmpty = queue.isEmpty();
            queue.addLast(line);
            wake(wasEmpty);
        }
    }

    private void wake(boolean wasEmpty) {
        if (wasEmpty) {
            queued.signal();
        }
    }

    /** Given when lines arrive in an empty queue. */
    Signal queued() {
        return queued;
    }

    private LogStore.Line shortened(LogStore.Line line) {
        // Characters, not bytes: cheap, and a UTF-8 character takes at most 4 bytes.
        int most = (int) Math.min(Integer.MAX_VALUE, settings.maxBytesPerTry() / 8);
        String text = line.text();
        if (text.length() <= most) {
            return line;
        }
        return note(line, text.substring(0, most) + " [" + (text.length() - most) + " more characters of this line cut:"
                + " maxLogBytesPerTry]");
    }

    private LogStore.Line note(LogStore.Line at, String text) {
        return new LogStore.Line(at.tiId(), at.tryNumber(), at.loggedAt(), text);
    }

    private static String human(long bytes) {
        if (bytes >= 1 << 20) {
            return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB"
                    : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
        }
        return bytes >= 1 << 10 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }
}
