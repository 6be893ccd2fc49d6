package dev.weft.engine.dag;

import dev.weft.engine.plugin.PluginRegistry;
import dev.weft.engine.plugin.TaskType;
import dev.weft.engine.store.BundleRef;
import dev.weft.engine.store.BundleStore;
import dev.weft.spi.DagProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * DAG bundle jars by version, in every process. The DAG processor publishes each jar it reads: stored in the
 * database once per version (the SHA-256 of its bytes) and copied into this process's cache. A worker that runs a
 * task of a bundle's DAG loads that version from its cache, fetching it from the database the first time and checking
 * it against its version. Each version has its own {@link DagBundleClassLoader}: a new version is new code, and a try
 * that started with the previous one keeps it.
 *
 * <p>Kept: per bundle name, the versions a DAG still references and the {@value #KEPT_VERSIONS} newest (the previous
 * one serves tries that started just before the switch); older ones leave the database, the cache and memory.
 */
public final class DagBundles {
    private static final Logger LOG = LoggerFactory.getLogger(DagBundles.class);
    static final int KEPT_VERSIONS = 2;

    private final BundleStore store;
    private final Path cache;
    private final long maxBytes;
    private final Clock clock;
    private final Map<String, ClassLoader> pluginPackages;
    private final DagBundleClassLoader pluginView;
    private final Map<BundleRef, Loading> loaders = new ConcurrentHashMap<>();
    private final Map<List<BundleRef>, ClassLoader> fileLoaders = new ConcurrentHashMap<>();
    private final AtomicLong loads = new AtomicLong();

    /** One version's class loader, made once however many tries ask for it at the same time. */
    private static final class Loading {
        private ClassLoader loader;
        private long sequence;
    }

    /**
     * @param cache    the folder of this process's copies ({@code $WEFT_HOME/cache/bundles})
     * @param maxBytes the largest jar the DAG processor stores
     */
    public DagBundles(BundleStore store, Path cache, long maxBytes, PluginRegistry plugins, Clock clock) {
        this.store = store;
        this.cache = cache;
        this.maxBytes = maxBytes;
        this.clock = clock;
        this.pluginPackages = pluginPackages(plugins);
        this.pluginView = new DagBundleClassLoader("weft-plugin-view", new URL[0], DagProvider.class.getClassLoader(),
                pluginPackages);
    }

    /** Each plugin's factory packages, so bundles and DAG files can use its DSL and params types. */
    private static Map<String, ClassLoader> pluginPackages(PluginRegistry plugins) {
        Map<String, ClassLoader> packages = new HashMap<>();
        for (TaskType type : plugins.types()) {
            String pkg = type.factory().getClass().getPackageName();
            if (!pkg.isEmpty() && !pkg.startsWith("dev.weft.engine") && !pkg.startsWith("dev.weft.spi")) {
                packages.putIfAbsent(pkg + ".", type.factory().getClass().getClassLoader());
            }
        }
        return packages;
    }

    /**
     * Stores a jar of the DAGs folder as bundle {@code name} (new versions only) and caches it here.
     *
     * @throws IOException              when it cannot be read or is not a jar
     * @throws IllegalArgumentException when it is larger than the limit
     */
    public BundleRef publish(String name, Path jar) throws IOException {
        long size = Files.size(jar);
        if (size > maxBytes) {
            throw new IllegalArgumentException("the bundle jar is " + megabytes(size) + ", over the limit of "
                    + megabytes(maxBytes) + " a bundle may have (dagBundleMaxMegabytes): move large dependencies"
                    + " into a plugin, or raise the limit");
        }
        byte[] content = Files.readAllBytes(jar);
        BundleRef ref = new BundleRef(name, sha256(content));
        Path copy = write(ref, content);
        try (JarFile ignored = new JarFile(copy.toFile())) {
            // opens: a jar
        } catch (IOException e) {
            deleteQuietly(copy); // an import error, neither stored nor cached
            throw e;
        }
        if (store.put(ref, content, clock.instant())) {
            int pruned = store.prune(name, KEPT_VERSIONS);
            LOG.info("Stored {} ({}){}", ref, megabytes(size), pruned == 0 ? "" : "; pruned " + pruned
                    + " old version(s)");
        }
        return ref;
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1_048_576.0);
    }

    /** The class loader of one version: from the cache, fetched from the database when missing or damaged. */
    public ClassLoader loader(BundleRef ref) {
        Loading loading = loaders.computeIfAbsent(ref, r -> new Loading());
        synchronized (loading) {
            if (loading.loader == null) {
                try {
                    loading.loader = open(ref);
                } catch (BundleUnavailableException e) {
                    loaders.remove(ref, loading);
                    LOG.warn("{}", e.getMessage());
                    throw e;
                }
                loading.sequence = loads.incrementAndGet();
                forgetOldVersions(ref.name());
            }
            return loading.loader;
        }
    }

    /**
     * What the callables of a DAG whose code is in {@code refs} resolve through: its bundle's loader, or for a DAG
     * file the bundles in order then the plugins' packages, as the DAG processor resolved them.
     */
    public ClassLoader loader(List<BundleRef> refs) {
        if (refs.size() == 1) {
            return loader(refs.get(0));
        }
        ClassLoader known = fileLoaders.get(refs);
        if (known != null) {
            return known;
        }
        List<ClassLoader> bundles = refs.stream().map(this::loader).toList();
        return fileLoaders.computeIfAbsent(List.copyOf(refs), r -> filesLoader(() -> bundles));
    }

    /** A loader for DAG files' callables over {@code bundles} (as they are when asked), then the plugins. */
    ClassLoader filesLoader(Supplier<Collection<ClassLoader>> bundles) {
        return new DagFilesClassLoader(bundles, pluginView);
    }

    private ClassLoader open(BundleRef ref) {
        Path file = cached(ref);
        try {
            if (!holds(file, ref)) {
                byte[] content = store.content(ref).orElseThrow(() -> new BundleUnavailableException(ref,
                        "not in the database (a version no DAG references any more is pruned; the scheduler stores"
                                + " the jar again when it next reads it)", null));
                String actual = sha256(content);
                if (!actual.equals(ref.version())) {
                    throw new BundleUnavailableException(ref, "the database holds corrupt bytes (SHA-256 "
                            + actual.substring(0, 12) + "…); replace the jar in the DAGs folder so it is stored"
                            + " again", null);
                }
                write(ref, content);
                LOG.info("Fetched {} from the database into {}", ref, file);
            }
            // The modification time says when a version was last opened: the cache keeps the latest ones.
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(clock.instant()));
            return new DagBundleClassLoader("bundle:" + ref.name() + "@" + ref.shortVersion(),
                    new URL[]{file.toUri().toURL()}, DagProvider.class.getClassLoader(), pluginPackages);
        } catch (IOException | UncheckedIOException e) {
            throw new BundleUnavailableException(ref, "cannot be cached in " + file.getParent() + ": " + e, e);
        }
    }

    /** Where a version is cached: {@code <cache>/<name, path separators as '_'>/<version>.jar}. */
    private Path cached(BundleRef ref) {
        return cache.resolve(ref.name().replaceAll("[^A-Za-z0-9._-]", "_")).resolve(ref.version() + ".jar");
    }

    private Path write(BundleRef ref, byte[] content) throws IOException {
        Path file = cached(ref);
        Files.createDirectories(file.getParent());
        if (!holds(file, ref)) {
            // Written beside, then moved: a reader never sees half a jar.
            Path partial = Files.createTempFile(file.getParent(), ref.version(), ".partial");
            Files.write(partial, content);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return file;
    }

    /** Whether {@code file} is there with the bytes of version {@code ref}. */
    private static boolean holds(Path file, BundleRef ref) throws IOException {
        return Files.isRegularFile(file) && sha256(Files.readAllBytes(file)).equals(ref.version());
    }

    /** Drops the loaders and cached files of {@code name} beyond the {@value #KEPT_VERSIONS} last opened. */
    private void forgetOldVersions(String name) {
        List<BundleRef> old = loaders.entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .sorted(Comparator.comparingLong((Map.Entry<BundleRef, Loading> e) -> e.getValue().sequence)
                        .reversed())
                .skip(KEPT_VERSIONS).map(Map.Entry::getKey).toList();
        old.forEach(loaders::remove);
        fileLoaders.keySet().removeIf(refs -> refs.stream().anyMatch(old::contains));
        Path folder = cached(new BundleRef(name, "x")).getParent();
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                    .sorted(Comparator.comparing(DagBundles::modified).reversed())
                    .skip(KEPT_VERSIONS)
                    .forEach(DagBundles::deleteQuietly);
        } catch (IOException e) {
            LOG.debug("Cannot prune the cache folder {}: {}", folder, e.toString());
        }
    }

    private static java.nio.file.attribute.FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file); // a loader that has it open keeps reading it (POSIX)
        } catch (IOException e) {
            LOG.debug("Cannot delete {}: {}", file, e.toString());
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
