package dev.weft.engine.executor;

import dev.weft.engine.store.SensorWakeStore;
import dev.weft.engine.store.TryKey;
import dev.weft.spi.WatchedPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.PatternSyntaxException;

/**
 * Wakes waiting sensors on file-system events: a sensor type that declares what it waits for
 * ({@link dev.weft.spi.SensorFactory#watchedPaths}) is poked as soon as a file that may match is created or changed,
 * instead of only at its next {@code poke_interval}. A waiting reschedule-mode try is made due at once in the store
 * ({@code next_attempt_at = now}) and the worker is signalled to claim it; a waiting poke-mode try is poked again by
 * its worker.
 * The sensor's poke still decides; an event is only a hint, and polling stays the fallback.
 *
 * <p>One {@link WatchService} and one thread for the process, started with the first watch. Each pattern is watched
 * at the nearest existing directory on its way (a directory that does not exist yet is watched for through its
 * parent, and followed when it appears), and in the existing directories beneath that a match could lie in
 * ({@code **} included), at most {@value #MAX_DIRECTORIES_PER_PATTERN} per pattern. Sensors waiting in the same
 * directory share its watch. Events are process-local: a try poked by another process's worker, or a file written on
 * another machine's file system, is seen at the next poke interval.
 */
public final class FileWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);
    static final int MAX_DIRECTORIES_PER_PATTERN = 256;
    /** How long a wake of a try whose poke is in progress is retried, until its outcome is written. */
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long RETRY_EVERY_MILLIS = 100;

    private final SensorWakeStore store;
    private final Runnable signalWorker;
    private final Clock clock;
    private final Object lock = new Object();
    private final Map<TryKey, Registration> registrations = new ConcurrentHashMap<>();
    /** Listeners of the engine's own (dataset feeds), beside the tries. */
    private final Set<Registration> listeners = ConcurrentHashMap.newKeySet();
    private final Map<Path, Directory> directories = new HashMap<>();
    private final Map<WatchKey, Directory> byKey = new HashMap<>();
    /** Tries a file event woke since their last poke (see {@link #takeWake}). */
    private final Set<TryKey> wokenByEvent = ConcurrentHashMap.newKeySet();
    /** Reschedule-mode wakes still to be written (their poke was in progress), with when to give up. */
    private final Map<TryKey, Long> retries = new ConcurrentHashMap<>();
    private WatchService service;
    private Thread thread;
    private volatile boolean closed;

    /**
     * @param store           where reschedule-mode tries are made due
     * @param signalWorker    wakes this process's worker after tries were made due (it claims them)
     */
    public FileWatcher(SensorWakeStore store, Runnable signalWorker, Clock clock) {
        this.store = store;
        this.signalWorker = signalWorker;
        this.clock = clock;
    }

    /**
     * A waiting try and what it waits for; {@code pokeNow} wakes a poke-mode try, null for reschedule mode. A
     * listener's registration has no try: {@code listener} is called instead.
     */
    private static final class Registration {
        final TryKey key;
        final List<Pattern> patterns;
        final List<WatchedPath> watched;
        volatile Runnable pokeNow;
        final Runnable listener;
        final Set<Path> directories = new HashSet<>();

        Registration(TryKey key, List<WatchedPath> watched, Runnable pokeNow, Runnable listener) {
            this.key = key;
            this.watched = List.copyOf(watched);
            this.patterns = watched.stream().map(Pattern::new).toList();
            this.pokeNow = pokeNow;
            this.listener = listener;
        }

        boolean relevant(Path path) {
            return patterns.stream().anyMatch(p -> p.mayLeadTo(path));
        }
    }

    private record Directory(Path path, WatchKey key, Set<Registration> registrations) {
    }

    /**
     * Watches {@code watched} for the try {@code key} until {@link #unwatch}. Keyed by try, not task instance: a
     * retry may be watched while an older try of its task instance has not ended yet. {@code pokeNow} is called on a matching
     * event for a poke-mode try; null means reschedule mode (the try is made due in the store). Watching the same try
     * again with the same paths only replaces {@code pokeNow}.
     */
    public void watch(TryKey key, List<WatchedPath> watched, Runnable pokeNow) {
        if (closed || watched.isEmpty()) {
            return;
        }
        Registration existing = registrations.get(key);
        if (existing != null && existing.watched.equals(watched)) {
            existing.pokeNow = pokeNow;
            return;
        }
        synchronized (lock) {
            if (existing != null) {
                release(existing);
            }
            Registration r = new Registration(key, watched, pokeNow, null);
            registrations.put(key, r);
            try {
                ensureStarted();
                resolve(r);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot watch {} for try {}; it is poked at its poke interval only: {}", watched, key,
                        e.toString());
            }
        }
    }

    /**
     * Calls {@code onEvent} on the watcher's thread whenever a file that may match {@code watched} is created or
     * changed, sharing the directories' watches with the tries, until the returned stop is run. An event is a hint:
     * the listener checks what it needs, and keeps a polling fallback of its own.
     */
    public Runnable listen(List<WatchedPath> watched, Runnable onEvent) {
        Registration r = new Registration(null, watched, null, onEvent);
        synchronized (lock) {
            if (closed) {
                return () -> { };
            }
            listeners.add(r);
            try {
                ensureStarted();
                resolve(r);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot watch {}; it is checked at its polling interval only: {}", watched, e.toString());
            }
        }
        return () -> {
            synchronized (lock) {
                if (listeners.remove(r)) {
                    release(r);
                }
            }
        };
    }

    /** Stops watching for a try (it finished, or is no longer waiting here); nothing when it was not watched. */
    public void unwatch(TryKey key) {
        if (!registrations.containsKey(key)) {
            return;
        }
        synchronized (lock) {
            Registration r = registrations.remove(key);
            if (r != null) {
                release(r);
            }
            retries.remove(key);
            wokenByEvent.remove(key);
        }
    }

    /**
     * Whether a file event woke the try since this was last asked (a poke-mode try asked to poke now, a
     * reschedule-mode try made due); asking forgets it. A try woken here but poked by another process's worker is
     * never asked here: it is forgotten when it is no longer watched.
     */
    public boolean takeWake(TryKey key) {
        return wokenByEvent.remove(key);
    }

    /** How many tries are watched. */
    public int watchedTries() {
        return registrations.size();
    }

    /** How many directories are watched (each once, however many tries wait in it). */
    public int watchedDirectories() {
        synchronized (lock) {
            return directories.size();
        }
    }

    private void ensureStarted() throws IOException {
        if (service == null) {
            service = FileSystems.getDefault().newWatchService();
            thread = Thread.ofPlatform().daemon().name("weft-file-watcher").start(this::loop);
        }
    }

    /** Watches the directories a registration's patterns need now (called with the lock held). */
    private void resolve(Registration r) throws IOException {
        for (Pattern p : r.patterns) {
            Path start = p.base();
            Path nearest = start;
            while (nearest != null && !Files.isDirectory(nearest)) {
                nearest = nearest.getParent();
            }
            if (nearest == null) {
                continue;
            }
            int budget = MAX_DIRECTORIES_PER_PATTERN;
            Deque<Path> toVisit = new ArrayDeque<>(List.of(nearest));
            while (!toVisit.isEmpty()) {
                Path dir = toVisit.poll();
                if (budget-- <= 0) {
                    LOG.warn("Watching at most {} directories for {}; deeper ones are seen at the poke interval",
                            MAX_DIRECTORIES_PER_PATTERN, p.text);
                    break;
                }
                add(r, dir);
                // Beneath the nearest existing directory, only directories a match could lie in.
                try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                    for (Path child : children) {
                        if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS) && p.mayLeadTo(child)) {
                            toVisit.add(child);
                        }
                    }
                } catch (IOException | SecurityException e) {
                    // unreadable: its events are not seen; the poke interval remains
                }
            }
        }
    }

    private void add(Registration r, Path dir) throws IOException {
        if (r.directories.contains(dir)) {
            return;
        }
        Directory d = directories.get(dir);
        if (d == null || !d.key().isValid()) {
            WatchKey key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
            d = new Directory(dir, key, new LinkedHashSet<>());
            directories.put(dir, d);
            byKey.put(key, d);
        }
        d.registrations().add(r);
        r.directories.add(dir);
    }

    private void release(Registration r) {
        for (Path dir : r.directories) {
            Directory d = directories.get(dir);
            if (d != null) {
                d.registrations().remove(r);
                if (d.registrations().isEmpty()) {
                    d.key().cancel();
                    directories.remove(dir);
                    byKey.remove(d.key());
                }
            }
        }
        r.directories.clear();
    }

    private void loop() {
        while (!closed) {
            try {
                WatchKey key = service.poll(retries.isEmpty() ? 1000 : RETRY_EVERY_MILLIS, TimeUnit.MILLISECONDS);
                Set<Registration> woken = new LinkedHashSet<>();
                while (key != null) {
                    handle(key, woken);
                    key = service.poll();
                }
                wake(woken);
            } catch (ClosedWatchServiceException | InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("The file watcher failed to handle an event; carrying on", e);
            }
        }
    }

    /** Collects the registrations an event concerns and follows new directories (lock taken here). */
    private void handle(WatchKey key, Set<Registration> woken) {
        List<WatchEvent<?>> events = key.pollEvents();
        boolean valid = key.reset();
        synchronized (lock) {
            Directory d = byKey.get(key);
            if (d == null) {
                return;
            }
            List<Registration> affected = new ArrayList<>(d.registrations());
            Set<Registration> toResolve = new LinkedHashSet<>();
            for (WatchEvent<?> event : events) {
                if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                    woken.addAll(affected);
                    continue;
                }
                Path child = d.path().resolve((Path) event.context());
                boolean newDirectory = event.kind() == StandardWatchEventKinds.ENTRY_CREATE
                        && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS);
                for (Registration r : affected) {
                    if (r.relevant(child)) {
                        woken.add(r);
                        if (newDirectory) {
                            toResolve.add(r);
                        }
                    }
                }
            }
            if (!valid) {
                // The directory went away: watch again from the nearest directory that exists.
                directories.remove(d.path());
                byKey.remove(key);
                for (Registration r : affected) {
                    r.directories.remove(d.path());
                    toResolve.add(r);
                }
            }
            for (Registration r : toResolve) {
                if (r.listener != null ? listeners.contains(r) : registrations.get(r.key) == r) {
                    try {
                        resolve(r);
                    } catch (IOException e) {
                        LOG.debug("Cannot follow new directories for try {}: {}", r.key, e.toString());
                    }
                }
            }
        }
    }

    /** Pokes poke-mode tries now and makes reschedule-mode tries due (retrying those whose poke is in progress). */
    private void wake(Set<Registration> woken) {
        Set<TryKey> due = new LinkedHashSet<>();
        for (Registration r : woken) {
            if (r.listener != null) {
                try {
                    r.listener.run();
                } catch (RuntimeException e) {
                    LOG.warn("A file-event listener failed; its polling fallback remains", e);
                }
                continue;
            }
            Runnable pokeNow = r.pokeNow;
            if (pokeNow != null) {
                wokenByEvent.add(r.key);
                pokeNow.run();
            } else {
                due.add(r.key);
            }
        }
        long now = System.nanoTime();
        synchronized (lock) {
            retries.values().removeIf(giveUpAt -> now - giveUpAt > 0);
            for (TryKey key : retries.keySet()) {
                if (registrations.containsKey(key)) {
                    due.add(key);
                }
            }
            retries.clear();
        }
        if (due.isEmpty()) {
            return;
        }
        // The store knows task instances; a reschedule-mode try waits in its task instance.
        Set<Long> ids = new LinkedHashSet<>();
        due.forEach(k -> ids.add(k.id()));
        List<Long> made = store.wakeRescheduled(ids, clock.instant());
        due.stream().filter(k -> made.contains(k.id())).forEach(wokenByEvent::add);
        if (!made.isEmpty()) {
            LOG.debug("File events made {} waiting sensor(s) due", made.size());
            signalWorker.run();
        }
        ids.removeAll(made);
        Collection<Long> inProgress = ids.isEmpty() ? List.of() : store.running(ids);
        List<TryKey> rest = due.stream().filter(k -> ids.contains(k.id())).toList();
        synchronized (lock) {
            rest.stream().filter(k -> inProgress.contains(k.id())).forEach(k -> retries.putIfAbsent(k, now + RETRY_NANOS));
        }
        // Neither waiting nor poking: already due, finished, cleared, or poked elsewhere. Its next poke here, if
        // any, watches again.
        rest.stream().filter(k -> !inProgress.contains(k.id())).forEach(this::unwatch);
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            if (service != null) {
                try {
                    service.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            directories.clear();
            byKey.clear();
            registrations.clear();
            listeners.clear();
        }
        if (thread != null) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** An absolute glob pattern cut into path segments. */
    static final class Pattern {
        final String text;
        private final boolean recursive;
        private final List<String> segments = new ArrayList<>();
        private final List<PathMatcher> matchers = new ArrayList<>();

        Pattern(WatchedPath watched) {
            this.text = watched.pattern();
            this.recursive = watched.recursive();
            for (String s : text.split("/")) {
                if (!s.isEmpty()) {
                    segments.add(s);
                    matchers.add(hasMagic(s) ? matcher(s) : null);
                }
            }
        }

        private static boolean hasMagic(String s) {
            return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
        }

        private static PathMatcher matcher(String segment) {
            try {
                return FileSystems.getDefault().getPathMatcher("glob:" + segment.replace("{", "\\{")
                        .replace("}", "\\}"));
            } catch (PatternSyntaxException | UnsupportedOperationException e) {
                return path -> true; // cannot tell: wake for anything here (the poke decides)
            }
        }

        /** The longest leading part without wildcards: matches can only lie beneath it. */
        Path base() {
            Path base = Path.of("/");
            for (String s : segments) {
                if (hasMagic(s)) {
                    break;
                }
                base = base.resolve(s);
            }
            return base;
        }

        /**
         * Whether {@code path} could be a match, a directory on the way to one, or lie inside a matching directory
         * (a file sensor is also satisfied by a matching directory with a file in it).
         */
        boolean mayLeadTo(Path path) {
            int i = 0;
            for (Path name : path) {
                if (i >= segments.size()) {
                    return true;
                }
                String segment = segments.get(i);
                if (recursive && segment.equals("**")) {
                    return true;
                }
                PathMatcher m = matchers.get(i);
                if (m == null ? !segment.equals(name.toString()) : !m.matches(name)) {
                    return false;
                }
                i++;
            }
            return true;
        }
    }
}
