package dev.weft.engine.dag;

import dev.weft.engine.EngineMetrics;
import dev.weft.engine.store.BundleRef;
import dev.weft.engine.store.DagStore;
import dev.weft.spi.DagProvider;
import dev.weft.spi.dag.DagSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Loads the DAGs folder: DAG files ({@code *.yaml}, {@code *.yml}) and DAG bundle jars ({@code *.jar}, each in its
 * own {@link DagBundleClassLoader}). It scans when started, whenever the file system reports a change (a
 * {@link WatchService}), and every {@code scanInterval} as a safety net. A new or changed source is read and its
 * DAGs registered; a source that fails is an import error (stored, with line and column for DAG files) and every
 * other source keeps working. A DAG whose source no longer defines it becomes inactive: its history stays.
 *
 * <p>While a source has problems, the DAGs it defined before keep their last good version, so a typo does not
 * stop a running schedule; they become inactive only when the source is deleted or cleanly stops defining them.
 */
public final class DagProcessor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DagProcessor.class);
    private static final Duration SETTLE = Duration.ofMillis(150);

    /**
     * @param folder       the DAGs folder (created when missing)
     * @param scanInterval the safety-net scan period (default 30 s)
     * @param variables    what {@code ${env:NAME}} in DAG files resolves to
     */
    public record Settings(Path folder, Duration scanInterval, Map<String, String> variables) {
        public Settings {
            folder = folder.toAbsolutePath().normalize();
            variables = Map.copyOf(variables);
        }
    }

    /** What a source defined at its last read. */
    private record Source(String fingerprint, Set<String> dagIds, Code code, boolean blocked) {
    }

    /** What a source's callables resolve through, and the bundle versions that loader reads (none: the plugins). */
    private record Code(ClassLoader loader, List<BundleRef> bundles) {
    }

    /** A DAG read from a source, and how to place a problem of it. */
    private record Candidate(DagSpec spec, java.util.function.Function<String, String> locate) {
    }

    private final DagRegistry registry;
    private final DagStore dags;
    private final Settings settings;
    private final DagFileParser parser;
    private final DagBundles bundles;
    private final ClassLoader filesLoader;
    private final Map<Path, Source> sources = new TreeMap<>();
    private final Map<String, Path> owners = new HashMap<>();
    private final Set<Path> watchedDirectories = new HashSet<>();
    private final EngineMetrics metrics;
    private volatile boolean closed;
    private Thread thread;
    private WatchService watcher;

    /**
     * {@code bundles} stores each jar read (new versions only) and gives each version its class loader;
     * {@code metrics} is told how long each scan of the folder took.
     */
    public DagProcessor(DagRegistry registry, DagStore dags, DagBundles bundles, Settings settings,
                        EngineMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
        this.dags = dags;
        this.settings = settings;
        this.parser = new DagFileParser(settings.variables());
        this.bundles = bundles;
        this.filesLoader = bundles.filesLoader(this::bundleLoaders);
    }

    public Path folder() {
        return settings.folder();
    }

    /** Scans once, then watches the folder on a daemon thread until {@link #close()}. */
    public synchronized void start() {
        try {
            Files.createDirectories(settings.folder());
            watcher = settings.folder().getFileSystem().newWatchService();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch the DAGs folder " + settings.folder(), e);
        }
        scanSafely();
        thread = Thread.ofPlatform().daemon().name("weft-dag-processor").start(this::loop);
        LOG.info("Watching the DAGs folder {} (and scanning every {})", settings.folder(), settings.scanInterval());
    }

    private void loop() {
        while (!closed) {
            try {
                WatchKey key = watcher.poll(settings.scanInterval().toMillis(), TimeUnit.MILLISECONDS);
                if (key != null) {
                    // Let a burst of events (an editor's save, a copy) settle, then scan once.
                    do {
                        key.pollEvents();
                        key.reset();
                        key = watcher.poll(SETTLE.toMillis(), TimeUnit.MILLISECONDS);
                    } while (key != null && !closed);
                }
                if (!closed) {
                    scanSafely();
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
        }
    }

    private void scanSafely() {
        try {
            long began = System.nanoTime();
            scan();
            metrics.dagFilesProcessed(Duration.ofNanos(System.nanoTime() - began));
        } catch (RuntimeException e) {
            LOG.error("Scanning the DAGs folder {} failed; retrying at the next scan", settings.folder(), e);
        }
    }

    /** Reads every new or changed source, drops deleted ones; returns the ids of the DAGs the folder defines. */
    public synchronized Set<String> scan() {
        List<Path> files = list();
        List<BundleRef> bundlesBefore = bundleRefs();
        Set<Path> present = new HashSet<>(files);
        boolean released = false;
        for (Path gone : new ArrayList<>(sources.keySet())) {
            if (!present.contains(gone)) {
                Source old = sources.remove(gone);
                released |= release(gone, old.dagIds());
                registry.recordImportErrors(gone.toString(), List.of());
                LOG.info("DAG source {} is gone; its DAGs {} are now inactive", gone, old.dagIds());
            }
        }
        // Jars come first in the list; DAG files are read again when the bundles they resolve through changed.
        boolean bundlesChanged = false;
        for (Path file : files) {
            if (!isJar(file) && !bundlesChanged) {
                bundlesChanged = !bundleRefs().equals(bundlesBefore);
            }
            released |= readIfChanged(file, bundlesChanged && !isJar(file));
        }
        if (released) { // a DAG id another source was refused for may be free now
            for (Path file : files) {
                Source s = sources.get(file);
                if (s != null && s.blocked()) {
                    readIfChanged(file, true);
                }
            }
        }
        deactivateStale();
        registry.importErrorStore().retainOnly(settings.folder().toString(),
                sources.keySet().stream().map(Path::toString).toList());
        return Set.copyOf(owners.keySet());
    }

    private boolean readIfChanged(Path file, boolean force) {
        String fingerprint;
        try {
            fingerprint = fingerprint(file);
        } catch (IOException e) {
            return false; // vanished or unreadable between listing and reading: the next scan sees it
        }
        Source old = sources.get(file);
        if (!force && old != null && old.fingerprint().equals(fingerprint)) {
            return false;
        }
        return read(file, fingerprint, old);
    }

    /** Reads one source; returns true when a DAG id it held was released. */
    private boolean read(Path file, String fingerprint, Source old) {
        List<String> problems = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        Code code = isJar(file) ? readBundle(file, problems, candidates) : readDagFile(file, problems, candidates);
        ClassLoader loader = code.loader();
        Set<String> defined = new LinkedHashSet<>();
        boolean blocked = false;
        for (Candidate c : candidates) {
            String dagId = c.spec().dagId();
            Path owner = owners.get(dagId);
            if (owner != null && !owner.equals(file) && sources.containsKey(owner)) {
                problems.add(c.locate().apply("DAG '" + dagId + "' is already defined in " + owner
                        + "; DAG ids must be unique, so " + file + " is not used for it"));
                blocked = true;
                continue;
            }
            if (!defined.add(dagId)) {
                problems.add(c.locate().apply("DAG '" + dagId + "' is defined twice in this file"));
                continue;
            }
            if (owner == null && registry.definedHere(dagId) != null) {
                // A copy of a bundled example: the folder's DAG takes its place, and says so.
                LOG.info("DAG '{}' of {} replaces the DAG of the same id registered from outside the DAGs folder "
                        + "(a bundled example)", dagId, file);
            }
            List<String> found = withContextLoader(loader,
                    () -> registry.register(c.spec(), loader, code.bundles(), file.toString()));
            if (found.isEmpty()) {
                owners.put(dagId, file);
            } else {
                problems.add(c.locate().apply("DAG '" + dagId + "': " + String.join("; ", found)));
                if (!file.equals(owner)) {
                    defined.remove(dagId);
                }
            }
        }
        boolean released = false;
        Set<String> previous = old == null ? Set.of() : old.dagIds();
        Set<String> kept = new LinkedHashSet<>(defined);
        if (problems.isEmpty()) {
            Set<String> dropped = new HashSet<>(previous);
            dropped.removeAll(defined);
            released = release(file, dropped);
        } else {
            kept.addAll(previous); // their last good version stays while the source is broken
        }
        sources.put(file, new Source(fingerprint, Set.copyOf(kept), code, blocked));
        registry.recordImportErrors(file.toString(), problems);
        if (problems.isEmpty()) {
            LOG.info("Loaded {}: {}", file, defined);
        } else {
            LOG.warn("Import errors in {}:\n  {}", file, String.join("\n  ", problems));
        }
        return released;
    }

    private Code readDagFile(Path file, List<String> problems, List<Candidate> candidates) {
        Code code = new Code(filesLoader, bundleRefs());
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            problems.add("cannot read the file: " + e);
            return code;
        }
        DagFileParser.Result result = parser.parse(text);
        result.problems().forEach(p -> problems.add(p.toString()));
        for (DagFileParser.ParsedDag dag : result.dags()) {
            candidates.add(new Candidate(dag.spec(), m -> dag.locate(m).toString()));
        }
        return code;
    }

    private Code readBundle(Path jar, List<String> problems, List<Candidate> candidates) {
        BundleRef ref;
        ClassLoader loader;
        try {
            // Loaded from the cache's copy of this version, so replacing the jar in the folder never breaks it.
            ref = bundles.publish(settings.folder().relativize(jar).toString().replace('\\', '/'), jar);
            loader = bundles.loader(ref);
        } catch (IOException | BundleUnavailableException e) {
            problems.add("the bundle jar cannot be opened: " + e.getMessage());
            return new Code(filesLoader, List.of());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return new Code(filesLoader, List.of());
        }
        withContextLoader(loader, () -> {
            int providers = 0;
            for (var it = ServiceLoader.load(DagProvider.class, loader).iterator(); ; ) {
                DagProvider provider;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    provider = it.next();
                } catch (ServiceConfigurationError | LinkageError e) {
                    problems.add("cannot load a DAG provider: " + e.getMessage());
                    continue;
                }
                providers++;
                String name = provider.getClass().getName();
                try {
                    for (DagSpec spec : provider.dags()) {
                        candidates.add(new Candidate(spec, m -> name + ": " + m));
                    }
                } catch (RuntimeException | LinkageError e) {
                    problems.add(name + " failed: " + e);
                    LOG.error("DAG provider {} in {} failed", name, jar, e);
                }
            }
            if (providers == 0 && problems.isEmpty()) {
                problems.add("the jar lists no DAG provider in META-INF/services/" + DagProvider.class.getName());
            }
            return null;
        });
        return new Code(loader, List.of(ref));
    }

    private static <T> T withContextLoader(ClassLoader loader, java.util.function.Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Makes DAGs no source defines any more inactive; returns whether any was released. */
    private boolean release(Path file, Collection<String> dagIds) {
        List<String> released = dagIds.stream().filter(id -> file.equals(owners.get(id))).toList();
        released.forEach(id -> {
            owners.remove(id);
            registry.forget(id);
        });
        if (!released.isEmpty()) {
            dags.deactivate(released);
            LOG.info("DAGs {} are no longer defined by {}: inactive", released, file);
        }
        return !released.isEmpty();
    }

    /** DAGs registered from this folder (e.g. before a restart) that no current source defines become inactive. */
    private void deactivateStale() {
        String prefix = settings.folder().toString();
        List<String> stale = dags.activeIdsUnder(prefix).stream().filter(id -> !owners.containsKey(id)).toList();
        if (!stale.isEmpty()) {
            dags.deactivate(stale);
            LOG.info("DAGs {} are defined by no file in {}: inactive", stale, prefix);
        }
    }

    private Collection<ClassLoader> bundleLoaders() {
        synchronized (this) {
            // A jar that did not load has no bundle, and its loader is the DAG files' own: leave it out.
            return sources.entrySet().stream().filter(e -> isJar(e.getKey()))
                    .filter(e -> !e.getValue().code().bundles().isEmpty())
                    .map(e -> e.getValue().code().loader()).toList();
        }
    }

    /** The versions of the folder's bundles that loaded, in the order DAG files' callables search them. */
    private synchronized List<BundleRef> bundleRefs() {
        return sources.entrySet().stream().filter(e -> isJar(e.getKey()))
                .flatMap(e -> e.getValue().code().bundles().stream()).toList();
    }

    /** The sources in the folder and its subfolders: jars first (DAG files may call into them), then by path. */
    private List<Path> list() {
        Path folder = settings.folder();
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder, 8)) {
            List<Path> all = walk.toList();
            for (Path p : all) {
                if (Files.isDirectory(p) && watcher != null && watchedDirectories.add(p)) {
                    try {
                        p.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                                StandardWatchEventKinds.ENTRY_MODIFY);
                    } catch (IOException e) {
                        LOG.warn("Cannot watch {}: {}; it is still scanned every {}", p, e.getMessage(),
                                settings.scanInterval());
                    }
                }
            }
            return all.stream().filter(Files::isRegularFile).filter(DagProcessor::isSource)
                    .sorted((a, b) -> isJar(a) != isJar(b) ? (isJar(a) ? -1 : 1) : a.compareTo(b)).toList();
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Cannot list the DAGs folder {}: {}", folder, e.getMessage());
            return new ArrayList<>(sources.keySet()); // keep what we have rather than deactivating everything
        }
    }

    static boolean isSource(Path path) {
        String name = path.getFileName().toString();
        if (name.startsWith(".") || name.endsWith("~")) {
            return false; // hidden files and editors' temporary copies
        }
        return name.endsWith(".yaml") || name.endsWith(".yml") || isJar(path);
    }

    private static boolean isJar(Path path) {
        return path.getFileName().toString().endsWith(".jar");
    }

    /** Size and modification time for jars; the content's hash for DAG files (cheap, and exact). */
    private static String fingerprint(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (isJar(file)) {
            return attributes.size() + ":" + attributes.lastModifiedTime().toMillis();
        }
        return DagBundles.sha256(Files.readAllBytes(file));
    }

    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
