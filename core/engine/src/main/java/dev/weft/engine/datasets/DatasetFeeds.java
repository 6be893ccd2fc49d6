package dev.weft.engine.datasets;

import dev.weft.engine.executor.FileWatcher;
import dev.weft.engine.store.DagRecord;
import dev.weft.engine.store.DagStore;
import dev.weft.spi.WatchedPath;
import dev.weft.spi.dag.DatasetFeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Records dataset events for files arriving in folders ({@link DatasetFeed}s the active DAGs declare). Each folder is
 * watched through the engine's {@link FileWatcher} (one watch per folder, shared with waiting file sensors), and a
 * file event checks the feed at once; a check every {@code pollEvery} is the fallback for events the watcher cannot
 * see (another machine writing to a network file system).
 *
 * <p>One upload makes one event: the event's idempotency key ({@code extra.dedup_key}) names the upload (the marker
 * file's identity and the data files' names, sizes and times, or one stable file's), so a check that sees the same
 * upload again, here or in another process, records nothing. A marker alone, without a data file, is no upload.
 */
public final class DatasetFeeds implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetFeeds.class);

    private final DagStore dags;
    private final Datasets datasets;
    private final FileWatcher watcher;
    private final Clock clock;
    private final Duration pollEvery;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("weft-dataset-feeds").factory());
    /** Feeds watched now, with what stops their watch. */
    private final Map<DatasetFeed, Runnable> watched = new HashMap<>();
    /** For feeds on a stable size: each data file's last size and time, and since when it has not changed. */
    private final Map<Path, Observation> observations = new HashMap<>();

    private record Observation(long size, Instant modified, Instant since) {
    }

    public DatasetFeeds(DagStore dags, Datasets datasets, FileWatcher watcher, Clock clock, Duration pollEvery) {
        this.dags = dags;
        this.datasets = datasets;
        this.watcher = watcher;
        this.clock = clock;
        this.pollEvery = pollEvery;
    }

    /** Reads the feeds and checks them now, then every {@code pollEvery}. */
    public void start() {
        timer.scheduleWithFixedDelay(this::pollSafely, 0, pollEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warn("Checking the dataset feeds failed; trying again in {}", pollEvery, e);
        }
    }

    /** Follows the feeds of the active DAGs (watching new folders, dropping old ones) and checks each. */
    public synchronized void poll() {
        Set<DatasetFeed> feeds = new LinkedHashSet<>();
        for (DagRecord dag : dags.activeWithDatasetFeeds()) {
            feeds.addAll(dag.spec().datasetFeeds());
        }
        watched.keySet().removeIf(feed -> {
            if (feeds.contains(feed)) {
                return false;
            }
            watched.get(feed).run();
            return true;
        });
        for (DatasetFeed feed : feeds) {
            watched.computeIfAbsent(feed, f -> watcher.listen(
                    List.of(new WatchedPath(Path.of(f.folder()).resolve("*").toString(), false)),
                    () -> timer.execute(() -> checkSafely(f))));
            check(feed);
        }
    }

    /** How many feeds are followed. */
    public synchronized int feeds() {
        return watched.size();
    }

    private void checkSafely(DatasetFeed feed) {
        try {
            check(feed);
        } catch (RuntimeException e) {
            LOG.warn("Checking the dataset feed of {} in {} failed; the next poll tries again", feed.dataset(),
                    feed.folder(), e);
        }
    }

    /** Records an event for each complete upload in the feed's folder that has none yet. */
    synchronized void check(DatasetFeed feed) {
        Path folder = Path.of(feed.folder());
        Map<Path, BasicFileAttributes> files = dataFiles(folder, feed);
        if (files.isEmpty()) {
            return;
        }
        if (feed.marker() != null) {
            checkMarker(feed, folder, files);
        } else {
            checkStable(feed, files);
        }
    }

    private void checkMarker(DatasetFeed feed, Path folder, Map<Path, BasicFileAttributes> files) {
        BasicFileAttributes marker = attributes(folder.resolve(feed.marker()));
        if (marker == null || !marker.isRegularFile()) {
            return;
        }
        // The marker's identity (its device and inode, not its times: writing into it after creating it is still the
        // same upload) and the data files as they were when it appeared.
        StringBuilder upload = new StringBuilder(String.valueOf(marker.fileKey()));
        files.forEach((path, a) -> upload.append('|').append(path.getFileName()).append(':').append(a.size())
                .append(':').append(a.lastModifiedTime().toMillis()));
        emit(feed, folder.resolve(feed.marker()) + "@" + digest(upload.toString()), files.keySet());
    }

    private void checkStable(DatasetFeed feed, Map<Path, BasicFileAttributes> files) {
        Instant now = clock.instant();
        Instant nextCheck = null;
        for (Map.Entry<Path, BasicFileAttributes> e : files.entrySet()) {
            long size = e.getValue().size();
            Instant modified = e.getValue().lastModifiedTime().toInstant();
            Observation seen = observations.get(e.getKey());
            if (seen == null || seen.size() != size || !seen.modified().equals(modified)) {
                observations.put(e.getKey(), new Observation(size, modified, now));
                Instant due = now.plus(feed.stableFor());
                nextCheck = nextCheck == null || due.isBefore(nextCheck) ? due : nextCheck;
            } else if (!now.isBefore(seen.since().plus(feed.stableFor()))) {
                emit(feed, e.getKey() + "@" + size + ":" + modified.toEpochMilli(), List.of(e.getKey()));
            } else {
                Instant due = seen.since().plus(feed.stableFor());
                nextCheck = nextCheck == null || due.isBefore(nextCheck) ? due : nextCheck;
            }
        }
        observations.keySet().removeIf(p -> p.startsWith(feed.folder()) && !files.containsKey(p));
        if (nextCheck != null) {
            long delay = Math.max(1, Duration.between(now, nextCheck).toMillis());
            timer.schedule(() -> checkSafely(feed), delay, TimeUnit.MILLISECONDS);
        }
    }

    private void emit(DatasetFeed feed, String key, Iterable<Path> files) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put(Datasets.DEDUP_KEY, key);
        extra.put("folder", feed.folder());
        extra.put("files", java.util.stream.StreamSupport.stream(files.spliterator(), false)
                .map(p -> p.getFileName().toString()).toList());
        datasets.emit(feed.dataset(), extra).ifPresentOrElse(e -> {
            if (e.created()) {
                LOG.info("Dataset {}: an upload in {} is complete ({})", feed.dataset(), feed.folder(), key);
            }
        }, () -> LOG.warn("Dataset {} of the feed on {} does not exist", feed.dataset(), feed.folder()));
    }

    /** The data files in the folder, by name (the marker is never one). */
    private static Map<Path, BasicFileAttributes> dataFiles(Path folder, DatasetFeed feed) {
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + feed.glob());
        Map<Path, BasicFileAttributes> files = new TreeMap<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(folder)) {
            for (Path child : children) {
                Path name = child.getFileName();
                if (name.toString().equals(feed.marker()) || !glob.matches(name)) {
                    continue;
                }
                BasicFileAttributes a = attributes(child);
                if (a != null && a.isRegularFile()) {
                    files.put(child, a);
                }
            }
        } catch (IOException | SecurityException e) {
            // No folder (yet), or unreadable: nothing is complete.
        }
        return files;
    }

    private static BasicFileAttributes attributes(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        synchronized (this) {
            watched.values().forEach(Runnable::run);
            watched.clear();
        }
    }
}
