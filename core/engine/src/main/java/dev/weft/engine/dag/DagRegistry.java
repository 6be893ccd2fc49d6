package dev.weft.engine.dag;

import dev.weft.engine.callbacks.CallbackMethods;
import dev.weft.engine.json.Json;
import dev.weft.engine.params.ParamsBinder;
import dev.weft.engine.plugin.PluginRegistry;
import dev.weft.engine.plugin.TaskType;
import dev.weft.engine.store.BundleRef;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.ImportErrorStore;
import dev.weft.spi.DagProvider;
import dev.weft.spi.DefinitionContext;
import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.TaskTypeFactory;
import dev.weft.spi.dag.Callback;
import dev.weft.spi.dag.Callbacks;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.DagValidation;
import dev.weft.spi.dag.TaskSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks DAG definitions against the loaded plugins and registers them in the store with a version hash. A DAG
 * that fails a check is an import error for its source; the others register.
 */
public final class DagRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(DagRegistry.class);

    /** A definition that could not be registered. */
    public record ImportError(String source, String message) {
    }

    private final DagStore dags;
    private final DagCatalog catalog;
    private final PluginRegistry plugins;
    private final boolean pausedOnCreation;
    private final Clock clock;
    private final Map<String, ClassLoader> classLoaders = new ConcurrentHashMap<>();
    private final ImportErrorStore importErrors;

    public DagRegistry(DagStore dags, DagCatalog catalog, PluginRegistry plugins, boolean pausedOnCreation,
                       Clock clock) {
        this(dags, catalog, plugins, pausedOnCreation, clock, new InMemoryImportErrors());
    }

    public DagRegistry(DagStore dags, DagCatalog catalog, PluginRegistry plugins, boolean pausedOnCreation,
                       Clock clock, ImportErrorStore importErrors) {
        this.importErrors = importErrors;
        this.dags = dags;
        this.catalog = catalog;
        this.plugins = plugins;
        this.pausedOnCreation = pausedOnCreation;
        this.clock = clock;
    }

    /** Registers the DAGs of every {@link DagProvider} visible to {@code loader}, e.g. the bundled examples. */
    public List<String> registerProviders(ClassLoader loader, String source) {
        List<String> registered = new ArrayList<>();
        List<ImportError> errors = new ArrayList<>();
        for (var it = ServiceLoader.load(DagProvider.class, loader).iterator(); ; ) {
            DagProvider provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                errors.add(new ImportError(source, "cannot load a DAG provider: " + e.getMessage()));
                continue;
            }
            String where = source + "!" + provider.getClass().getName();
            List<DagSpec> specs;
            try {
                specs = provider.dags();
            } catch (RuntimeException | LinkageError e) {
                errors.add(new ImportError(where, e.toString()));
                LOG.error("DAG provider {} failed", where, e);
                continue;
            }
            for (DagSpec spec : specs) {
                List<String> problems = register(spec, loader, where);
                if (problems.isEmpty()) {
                    registered.add(spec.dagId());
                } else {
                    errors.add(new ImportError(where, "DAG '" + spec.dagId() + "': " + String.join("; ", problems)));
                }
            }
        }
        errors.forEach(e -> LOG.error("Import error in {}: {}", e.source(), e.message()));
        recordImportErrors(source, errors.stream().map(e -> e.source().equals(source) ? e.message()
                : e.source().substring(source.length() + 1) + ": " + e.message()).toList());
        return registered;
    }

    /** What is wrong with a DAG given the loaded plugins: unknown types, params that do not bind or validate. */
    public List<String> check(DagSpec spec, ClassLoader dagClassLoader) {
        List<String> problems = new ArrayList<>(DagValidation.problems(spec));
        for (TaskSpec task : spec.tasks()) {
            TaskType type = plugins.type(task.type()).orElse(null);
            if (type == null) {
                List<String> known = plugins.types().stream().map(TaskType::typeId).sorted().toList();
                List<String> close = DagFileParser.closest(task.type(), known, 3);
                problems.add("task '" + task.taskId() + "': unknown operator type '" + task.type() + "'"
                        + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?")
                        + "; known: " + known);
                continue;
            }
            if (task.sensor() != null && !type.isSensor()) {
                problems.add("task '" + task.taskId() + "': '" + task.type() + "' is an operator, not a sensor");
                continue;
            }
            if (containsTemplate(task.params())) {
                continue; // bound after rendering, at run time
            }
            validate(type, task.params(), spec.dagId(), task.taskId(), "task '" + task.taskId() + "': ",
                    dagClassLoader).ifPresent(problems::add);
        }
        for (TaskSpec task : spec.tasks()) {
            problems.addAll(callbackProblems(task.callbacks(), spec.dagId(), task.taskId(),
                    "task '" + task.taskId() + "': ", dagClassLoader));
        }
        problems.addAll(callbackProblems(spec.callbacks(), spec.dagId(), null, "DAG '" + spec.dagId() + "': ",
                dagClassLoader));
        return problems;
    }

    /** Callables that do not resolve, unknown notifier types, notifier params that do not bind or validate. */
    private List<String> callbackProblems(Callbacks callbacks, String dagId, String taskId, String where,
                                          ClassLoader dagClassLoader) {
        List<String> problems = new ArrayList<>();
        for (Callbacks.Event event : Callbacks.Event.values()) {
            for (Callback callback : callbacks.of(event)) {
                String at = where + event.wireName() + ": ";
                if (callback.callable() != null) {
                    try {
                        CallbackMethods.resolve(callback.callable(), dagClassLoader);
                    } catch (IllegalArgumentException e) {
                        problems.add(at + e.getMessage());
                    }
                    continue;
                }
                TaskType type = plugins.notifier(callback.type()).orElse(null);
                if (type == null) {
                    List<String> known = plugins.notifiers().stream().map(TaskType::typeId).sorted().toList();
                    List<String> close = DagFileParser.closest(callback.type(), known, 3);
                    problems.add(at + "unknown notifier type '" + callback.type() + "'"
                            + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?")
                            + "; known: " + known);
                } else if (!containsTemplate(callback.params())) {
                    validate(type, callback.params(), dagId, taskId, at, dagClassLoader).ifPresent(problems::add);
                }
            }
        }
        return problems;
    }

    /** Binds and validates params of {@code type} in its plugin's class loader; the problem found, if any. */
    private static Optional<String> validate(TaskType type, Map<String, Object> params, String dagId, String taskId,
                                             String where, ClassLoader dagClassLoader) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(type.classLoader());
        try {
            validate(type.factory(), params, dagId, taskId, dagClassLoader);
            return Optional.empty();
        } catch (InvalidParamsException e) {
            return Optional.of(where + e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            return Optional.of(where + e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private static <P> void validate(TaskTypeFactory<P> factory, Map<String, Object> values, String dagId,
                                     String taskId, ClassLoader loader) {
        P params = ParamsBinder.bind(values, factory.paramsType());
        factory.validate(params, new DefinitionContext() {
            @Override
            public String dagId() {
                return dagId;
            }

            @Override
            public String taskId() {
                return taskId;
            }

            @Override
            public ClassLoader dagClassLoader() {
                return loader;
            }
        });
    }

    private static boolean containsTemplate(Object value) {
        if (value instanceof String s) {
            return s.contains("{{") || s.contains("{%");
        }
        if (value instanceof Map<?, ?> m) {
            return m.values().stream().anyMatch(DagRegistry::containsTemplate);
        }
        if (value instanceof List<?> l) {
            return l.stream().anyMatch(DagRegistry::containsTemplate);
        }
        return false;
    }

    /**
     * Checks a DAG whose code is on the class path and, when it passes, registers it; its callables resolve through
     * {@code loader}. Returns the problems found (empty when registered).
     */
    public List<String> register(DagSpec spec, ClassLoader loader, String fileloc) {
        return register(spec, loader, List.of(), fileloc);
    }

    /**
     * As {@link #register(DagSpec, ClassLoader, String)} for a DAG whose code is in {@code bundles}, the versions
     * {@code loader} reads: a worker of another process loads them to run its callables.
     */
    public List<String> register(DagSpec spec, ClassLoader loader, List<BundleRef> bundles, String fileloc) {
        List<String> problems = check(spec, loader);
        if (problems.isEmpty()) {
            classLoaders.put(spec.dagId(), loader);
            store(spec, bundles, fileloc);
        }
        return problems;
    }

    private void store(DagSpec spec, List<BundleRef> bundles, String fileloc) {
        // The hash is over canonical JSON, so the same DAG read with its params in another order is not a new version.
        // New code is a new version too: workers see the DAG changed and load the bundles it names now.
        String json = Json.canonical(spec) + (bundles.isEmpty() ? "" : Json.write(bundles));
        boolean paused = spec.pausedOnCreation() != null ? spec.pausedOnCreation() : pausedOnCreation;
        if (dags.upsert(spec, hash(json), fileloc, bundles, paused, clock.instant())) {
            catalog.invalidate(spec.dagId());
            LOG.info("Registered DAG {}", spec.dagId());
        }
    }

    static String hash(String json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The class loader of the code that defined a DAG in this process, or null when another process did. */
    ClassLoader definedHere(String dagId) {
        return classLoaders.get(dagId);
    }

    /** Forgets which class loader defined a DAG (its source no longer defines it). */
    void forget(String dagId) {
        classLoaders.remove(dagId);
    }

    /** Records the problems of one source, replacing its earlier ones; no problems clears them. */
    public void recordImportErrors(String source, List<String> problems) {
        importErrors.replace(source, problems.isEmpty() ? null : String.join("\n", problems), clock.instant());
    }

    /**
     * The current import errors, one per source, its problems one per line: plugins that failed to load (a DAG using
     * their types cannot load either), then DAG sources.
     */
    public List<ImportError> importErrors() {
        List<ImportError> all = new ArrayList<>();
        plugins.failures().forEach(f -> all.add(new ImportError(f.source(),
                "plugin '" + f.plugin() + "' failed to load: " + f.reason())));
        importErrors.list().forEach(e -> all.add(new ImportError(e.filename(), e.message())));
        return all;
    }

    /** The import error store, for sources the registry does not see (e.g. a file deleted from the DAGs folder). */
    ImportErrorStore importErrorStore() {
        return importErrors;
    }

    /** Import errors kept in memory, for tests and tools without a database. */
    static final class InMemoryImportErrors implements ImportErrorStore {
        private final Map<String, ImportErrorRecord> errors = new ConcurrentHashMap<>();
        private final java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public void replace(String filename, String message, java.time.Instant at) {
            if (message == null) {
                errors.remove(filename);
            } else {
                errors.compute(filename, (k, old) -> old != null && old.message().equals(message) ? old
                        : new ImportErrorRecord(ids.incrementAndGet(), filename, message, at));
            }
        }

        @Override
        public void retainOnly(String prefix, java.util.Collection<String> filenames) {
            errors.keySet().removeIf(f -> f.startsWith(prefix) && !filenames.contains(f));
        }

        @Override
        public List<ImportErrorRecord> list() {
            return errors.values().stream().sorted(java.util.Comparator.comparing(ImportErrorRecord::filename)).toList();
        }
    }
}
