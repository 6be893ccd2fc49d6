package dev.weft.engine.callbacks;

import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.log.LineLogger;
import dev.weft.engine.params.ParamsBinder;
import dev.weft.engine.plugin.PluginRegistry;
import dev.weft.engine.plugin.TaskType;
import dev.weft.engine.secrets.SecretMasker;
import dev.weft.engine.store.CallbackRequest;
import dev.weft.engine.store.CallbackStore;
import dev.weft.engine.store.LogStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.RunStore;
import dev.weft.engine.template.TemplateContext;
import dev.weft.engine.template.TemplateRenderer;
import dev.weft.engine.connections.Connections;
import dev.weft.engine.variables.Variables;
import dev.weft.spi.NotifierFactory;
import dev.weft.spi.dag.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs the stored callback requests (see {@link CallbackRequests}): claims a batch with a lease, runs each request's
 * callbacks in order, writes what they logged (into the try's log for a task's callbacks, into this process's log
 * for a run's), then deletes the request. A callback that throws is logged and the next one runs; nothing a callback
 * does changes a state. A process that dies while running a request leaves it to be claimed again when the lease
 * runs out: callbacks run at least once, twice only after such a death.
 */
public final class CallbackRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackRunner.class);
    private static final int BATCH = 20;

    /**
     * @param owner         unique per process (the worker's id), to hold the lease
     * @param lease         how long a claimed request is this process's; longer than a callback may take
     * @param workDirectory the plugins' work folders are under it, as for tasks
     */
    public record Settings(String owner, Duration lease, Path workDirectory) {
    }

    private final CallbackStore store;
    private final RunStore runs;
    private final LogStore logs;
    private final DagCatalog catalog;
    private final PluginRegistry plugins;
    private final Function<String, ClassLoader> dagClassLoaders;
    private final TemplateRenderer templates;
    private final Variables variables;
    private final Connections connections;
    private final Settings settings;
    private final Clock clock;

    public CallbackRunner(CallbackStore store, RunStore runs, LogStore logs, DagCatalog catalog, PluginRegistry plugins,
                          Function<String, ClassLoader> dagClassLoaders, TemplateRenderer templates,
                          Variables variables, Connections connections, Settings settings, Clock clock) {
        this.store = store;
        this.runs = runs;
        this.logs = logs;
        this.catalog = catalog;
        this.plugins = plugins;
        this.dagClassLoaders = dagClassLoaders;
        this.templates = templates;
        this.variables = variables;
        this.connections = connections;
        this.settings = settings;
        this.clock = clock;
    }

    /** Runs one batch of waiting requests; returns whether a full batch ran (more may wait). */
    public boolean runOnce() {
        Instant now = clock.instant();
        List<CallbackRequest> claimed = store.claim(settings.owner(), BATCH, now, now.plus(settings.lease()));
        if (claimed.isEmpty()) {
            return false;
        }
        Map<Long, RunRecord> runById = new HashMap<>();
        runs.find(claimed.stream().map(CallbackRequest::runPk).distinct().toList())
                .forEach(r -> runById.put(r.id(), r));
        for (CallbackRequest request : claimed) {
            RunRecord run = runById.get(request.runPk());
            if (run != null) {
                run(request, run);
            }
            store.done(request.id(), settings.owner());
        }
        return claimed.size() == BATCH;
    }

    private void run(CallbackRequest request, RunRecord run) {
        SecretMasker secrets = new SecretMasker();
        List<LogStore.Line> lines = new ArrayList<>();
        String name = request.dagId() + (request.isForTask() ? "." + request.taskId() : "") + "."
                + request.event().wireName();
        LineLogger log = new LineLogger(name, Level.INFO, secrets, line -> {
            if (request.isForTask()) {
                lines.add(new LogStore.Line(request.tiId(), request.tryNumber(), clock.instant(), line));
            } else {
                LOG.info("Run {} of {}: {}", request.runId(), request.dagId(), line);
            }
        });
        EngineCallbackContext context = new EngineCallbackContext(request, run, log, clock);
        for (Callback callback : request.callbacks()) {
            String event = request.event().wireName();
            log.info("Running {} {}", event, callback.name());
            try {
                if (callback.callable() != null) {
                    call(callback.callable(), context);
                } else {
                    notify(callback, request, run, context, secrets);
                }
                log.info("{} {} done", event, callback.name());
            } catch (Throwable e) {
                // A callback's failure is its own: logged, and the state it was called for stays as it is.
                log.error("{} {} failed: {}", event, callback.name(), e.toString(), e);
            }
        }
        logs.append(lines);
    }

    private void call(String reference, EngineCallbackContext context) throws Exception {
        ClassLoader loader = dagClassLoaders.apply(context.dagId());
        Method method = CallbackMethods.resolve(reference, loader);
        withContextClassLoader(loader, () -> method.invoke(null,
                method.getParameterCount() == 0 ? new Object[0] : new Object[]{context}));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void notify(Callback callback, CallbackRequest request, RunRecord run, EngineCallbackContext context,
                        SecretMasker secrets) throws Exception {
        TaskType type = plugins.notifier(callback.type()).orElseThrow(() -> new IllegalStateException(
                "no plugin provides notifier type '" + callback.type() + "'"));
        NotifierFactory factory = type.notifierFactory();
        Map<String, Object> dagParams = catalog.get(request.dagId()).map(CompiledDag::spec)
                .map(s -> s.params()).orElse(Map.of());
        Map<String, Object> extra = new LinkedHashMap<>();
        // A try's error is Airflow's `exception`; a run's callback has a `reason` instead.
        extra.put("exception", request.isForTask() ? request.error() : null);
        extra.put("reason", request.isForTask() ? null : request.error());
        TemplateContext templateContext = new TemplateContext(request.dagId(),
                request.isForTask() ? request.taskId() : "", request.runId(), run.runType(), run.externalTrigger(),
                run.logicalDate(), run.dataInterval(), run.conf(), TemplateContext.runParams(dagParams, run.conf()),
                request.tryNumber(), extra).withVariables(variables.reader(secrets))
                .withConnections(connections.reader(secrets));
        Map<String, Object> rendered = templates.renderParams(callback.params(), factory, templateContext);
        secrets.addParams(factory.sensitiveParams(), rendered);
        Object params = ParamsBinder.bind(rendered, factory.paramsType());
        withContextClassLoader(type.classLoader(), () -> {
            factory.create(type.pluginContext(settings.workDirectory(), clock)).notify(params, context);
            return null;
        });
    }

    private interface Call {
        Object call() throws Exception;
    }

    private static void withContextClassLoader(ClassLoader loader, Call call) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            call.call();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
