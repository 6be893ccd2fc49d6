package dev.weft.web;

import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.datasets.Datasets;
import dev.weft.engine.grid.Grid;
import dev.weft.engine.grid.GridService;
import dev.weft.engine.plugin.PluginRegistry;
import dev.weft.engine.plugin.TaskType;
import dev.weft.engine.runs.DagNotFoundException;
import dev.weft.engine.runs.RunNotFoundException;
import dev.weft.engine.runs.TaskNotFoundException;
import dev.weft.engine.params.ParamsBinder;
import dev.weft.engine.store.DagRecord;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.DatasetStore;
import dev.weft.engine.store.LogStore;
import dev.weft.engine.store.QueryStore;
import dev.weft.engine.store.QueryStore.GridCell;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.RunStore;
import dev.weft.engine.store.TaskInstanceRecord;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.engine.template.TemplateContext;
import dev.weft.engine.template.TemplateException;
import dev.weft.engine.template.TemplateRenderer;
import dev.weft.engine.secrets.SecretCipher;
import dev.weft.engine.secrets.SecretMasker;
import dev.weft.engine.connections.Connections;
import dev.weft.engine.variables.Variables;
import dev.weft.engine.xcom.XComs;
import dev.weft.spi.RunType;
import dev.weft.spi.SensorFactory;
import dev.weft.spi.TaskState;
import dev.weft.spi.WatchedPath;
import dev.weft.spi.dag.SensorSettings;
import dev.weft.spi.dag.TaskSpec;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DAG's grid and the panel of the run or task instance selected by {@code run_id} and {@code task_id}: one page,
 * server-rendered, so a square is an ordinary link and the page reads without scripts.
 */
@Path("/dags/{dag_id}/grid")
@Produces(MediaType.TEXT_HTML)
public class DagGridResource {
    /** Log lines a try shows in the panel (the first ones; the rest are in the API's log endpoint). */
    static final int LOG_LINES = 5_000;
    /** The most XComs a try shows in its panel (the REST API lists them all). */
    static final int XCOMS_SHOWN = 100;
    static final List<StateStyle> LEGEND = Arrays.stream(TaskState.values())
            .map(s -> StateStyle.of(s == TaskState.NONE ? null : s.wireName())).toList();

    private final GridService grids;
    private final QueryStore queries;
    private final DagStore dags;
    private final RunStore runs;
    private final TaskInstanceStore taskInstances;
    private final LogStore logs;
    private final PluginRegistry plugins;
    private final TemplateRenderer templates;
    private final Variables variables;
    private final XComs xcoms;
    private final Connections connections;
    private final Datasets datasets;

    public DagGridResource(GridService grids, QueryStore queries, DagStore dags, RunStore runs,
                           TaskInstanceStore taskInstances, LogStore logs, PluginRegistry plugins,
                           TemplateRenderer templates, Variables variables, XComs xcoms, Connections connections,
                           Datasets datasets) {
        this.grids = grids;
        this.queries = queries;
        this.dags = dags;
        this.runs = runs;
        this.taskInstances = taskInstances;
        this.logs = logs;
        this.plugins = plugins;
        this.templates = templates;
        this.variables = variables;
        this.xcoms = xcoms;
        this.connections = connections;
        this.datasets = datasets;
    }

    @GET
    @Allowed(Role.VIEWER)
    public GridPage grid(@PathParam("dag_id") String dagId, @QueryParam("num_runs") String numRuns,
                         @QueryParam("before") String before, @QueryParam("run_id") String runId,
                         @QueryParam("task_id") String taskId, @Context SecurityContext security,
                         @Context ContainerRequestContext request) {
        DagRecord record = dags.find(dagId).orElseThrow(() -> new DagNotFoundException(dagId));
        int limit = runs(numRuns);
        Instant until = before == null || before.isBlank() ? null : TriggerForm.date(before);
        Grid grid = grids.load(dagId, limit, until);
        String selectedRun = blank(runId);
        String selectedTask = blank(taskId);
        Object panel = null;
        if (selectedRun != null) {
            RunRecord run = runs.find(dagId, selectedRun).orElseThrow(() -> new RunNotFoundException(dagId,
                    selectedRun));
            panel = selectedTask == null ? runPanel(run) : taskPanel(grid.dag(), run, selectedTask);
        }
        Selection at = new Selection(dagId, limit, until, selectedRun, selectedTask);
        List<GridPage.Column> columns = new ArrayList<>(grid.runs().size());
        for (RunRecord run : grid.runs()) {
            StateStyle style = StateStyle.of(run.state().wireName());
            columns.add(new GridPage.Column(run.runId(), Urls.encode(run.runId()), style.cssClass() + runClass(run),
                    style, run.runType().wireName(), shortDate(run.logicalDate()), hover(run),
                    run.runId().equals(selectedRun) && selectedTask == null, at.href(run.runId(), null),
                    triggeredBy(run)));
        }
        // 20,000 squares on a page of 100 runs × 200 tasks: the parts of their links and classes are made once.
        String[] linkOfRun = new String[grid.runs().size()];
        String[] classOfRun = new String[grid.runs().size()];
        for (int i = 0; i < linkOfRun.length; i++) {
            RunRecord run = grid.runs().get(i);
            linkOfRun[i] = at.relative(run.runId(), "");
            classOfRun[i] = runClass(run);
        }
        List<GridPage.Row> rows = new ArrayList<>(grid.rows().size());
        for (Grid.Row row : grid.rows()) {
            String task = Urls.encode(row.taskId());
            List<GridPage.Cell> cells = new ArrayList<>(row.cells().size());
            for (int i = 0; i < row.cells().size(); i++) {
                GridCell cell = row.cells().get(i);
                StateStyle style = StateStyle.of(cell == null ? null : cell.state().wireName());
                boolean selected = row.taskId().equals(selectedTask) && grid.runs().get(i).runId().equals(selectedRun);
                cells.add(new GridPage.Cell("sq " + style.cssClass() + classOfRun[i] + (selected ? " selected" : ""),
                        style.glyph(), cell == null ? "no task instance" : style.label(),
                        cell == null ? row.taskId() + ": no task instance" : hover(row.taskId(), style, cell),
                        linkOfRun[i] + task));
            }
            rows.add(new GridPage.Row(row.taskId(), !row.inDag(), row.taskId().equals(selectedTask), cells));
        }
        String older = grid.hasOlder() && !grid.runs().isEmpty()
                ? new Selection(dagId, limit, grid.runs().get(0).logicalDate(), null, null).href(null, null) : null;
        String newer = until == null ? null : new Selection(dagId, limit, null, null, null).href(null, null);
        return new GridPage(PageUser.of(security, request), dagId, record.spec().description(), record.paused(),
                record.spec().schedule(), record.spec().datasets(), columns, rows, LEGEND, older, newer, limit, panel);
    }

    /** Where the page is (DAG, page of runs, selection), to build the links of its squares. */
    private record Selection(String dagId, int numRuns, Instant before, String runId, String taskId) {
        String href(String run, String task) {
            return "/dags/" + Urls.encode(dagId) + "/grid" + relative(run, task);
        }

        /** The query part alone: a square's link, relative to the page (it keeps the page's runs). */
        String relative(String run, String task) {
            StringBuilder b = new StringBuilder("?");
            if (numRuns != GridService.DEFAULT_RUNS) {
                b.append("num_runs=").append(numRuns).append('&');
            }
            if (before != null) {
                b.append("before=").append(Urls.encode(before.toString())).append('&');
            }
            if (run != null) {
                b.append("run_id=").append(Urls.encode(run)).append('&');
            }
            if (task != null) {
                b.append("task_id=").append(Urls.encode(task)).append('&');
            }
            return b.substring(0, b.length() - 1);
        }
    }

    /** The number of runs asked for; a bad number is a 400 that says so (Jersey's own conversion answers 404). */
    private static int runs(String numRuns) {
        if (numRuns == null || numRuns.isBlank()) {
            return GridService.DEFAULT_RUNS;
        }
        try {
            return Integer.parseInt(numRuns.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("num_runs must be a whole number between 1 and "
                    + GridService.MAX_RUNS + ", got '" + numRuns + "'");
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Scheduled runs get a dark border, backfills a dashed one, manual runs none (Airflow's convention). */
    static String runClass(RunRecord run) {
        return switch (run.runType()) {
            case SCHEDULED -> " run-scheduled";
            case BACKFILL -> " run-backfill";
            default -> "";
        };
    }

    private static String shortDate(Instant instant) {
        String full = Dates.format(instant);
        return full == null ? "" : full.substring(5, 16);
    }

    /** A run's details for its hover card, one per line. */
    static String hover(RunRecord run) {
        StringBuilder b = new StringBuilder();
        b.append("Run id: ").append(run.runId())
                .append("\nRun type: ").append(run.runType().wireName())
                .append("\nLogical date: ").append(Dates.format(run.logicalDate()))
                .append("\nData interval: ").append(interval(run))
                .append("\nState: ").append(StateStyle.of(run.state().wireName()).label())
                .append("\nStart: ").append(orDash(Dates.format(run.startDate())))
                .append("\nDuration: ").append(orDash(Dates.duration(run.startDate(), run.endDate())))
                .append("\nConf: ").append(run.conf() == null || run.conf().isEmpty() ? "{}"
                        : TriggerForm.text(run.conf()));
        if (run.triggeredByDagId() != null) {
            b.append("\nTriggered by: ").append(run.triggeredByDagId()).append(" / ")
                    .append(run.triggeredByRunId()).append(" / ").append(run.triggeredByTaskId());
        }
        return b.toString();
    }

    /**
     * A square's title: task, state, try and duration on one short line (20,000 of them on a large page; the task's
     * start is in its panel, the run's details in the card).
     */
    private static String hover(String taskId, StateStyle style, GridCell cell) {
        StringBuilder b = new StringBuilder(taskId).append(": ").append(style.label());
        if (cell.tryNumber() > 1) {
            b.append(", try ").append(cell.tryNumber());
        }
        if (cell.duration() != null) {
            b.append(", ").append(Dates.seconds(cell.duration()));
        }
        return b.toString();
    }

    private static String interval(RunRecord run) {
        return run.dataIntervalStart() == null ? "–" : Dates.format(run.dataIntervalStart()) + " – "
                + Dates.format(run.dataIntervalEnd());
    }

    private static String orDash(String s) {
        return s == null ? "–" : s;
    }

    static String gridHref(String dagId, String runId, String taskId) {
        return new Selection(dagId, GridService.DEFAULT_RUNS, null, null, null).href(runId, taskId);
    }

    private static RunPanel.Link triggeredBy(RunRecord run) {
        if (run.triggeredByDagId() == null) {
            return null;
        }
        return new RunPanel.Link(run.triggeredByDagId() + " / " + run.triggeredByRunId() + " / "
                + run.triggeredByTaskId(), gridHref(run.triggeredByDagId(), run.triggeredByRunId(),
                run.triggeredByTaskId()));
    }

    private static RunPanel.Link link(RunRecord run) {
        return new RunPanel.Link(run.dagId() + " / " + run.runId() + " (" + StateStyle.of(run.state().wireName())
                .label() + ")", gridHref(run.dagId(), run.runId(), null));
    }

    private RunPanel runPanel(RunRecord run) {
        return new RunPanel(run.dagId(), run.runId(), Urls.encode(run.runId()), run.runType().wireName(),
                StateStyle.of(run.state().wireName()), Dates.format(run.logicalDate()), interval(run),
                Dates.format(run.queuedAt()), Dates.format(run.startDate()), Dates.format(run.endDate()),
                Dates.duration(run.startDate(), run.endDate()), run.externalTrigger(),
                TriggerForm.json(run.conf() == null ? Map.of() : run.conf()), run.note(), triggeredBy(run),
                queries.triggeredBy(run.dagId(), run.runId()).stream().map(DagGridResource::link).toList(),
                run.runType() != RunType.DATASET_TRIGGERED ? List.of() : datasets.upstreamEvents(run).stream()
                        .map(DagGridResource::consumed).toList(), waitsFor(run));
    }

    /** A consumed event, as a link to its dataset's page: the URI, when, and where it came from. */
    private static RunPanel.Link consumed(Datasets.Event event) {
        DatasetStore.EventRecord e = event.record();
        return new RunPanel.Link(e.datasetUri() + " · " + Dates.format(e.timestamp()) + " · " + (e.sourceDagId() == null
                ? "posted from outside" : e.sourceDagId() + " / " + e.sourceRunId() + " / " + e.sourceTaskId()),
                DatasetPage.href(e.datasetUri()));
    }

    /** What a run a recursive clear cleared waits for before it is queued again; null when it waits for nothing. */
    private static String waitsFor(RunRecord run) {
        if (!run.awaitsTrigger()) {
            return null;
        }
        return run.triggeredByDagId() != null
                ? "Its trigger task (above) to run again: a recursive clear cleared this run."
                : "New dataset events from the tasks whose events it consumed: a recursive clear cleared this run."
                        + " It is queued when every one of those tasks has succeeded again.";
    }

    private TaskPanel taskPanel(CompiledDag dag, RunRecord run, String taskId) {
        TaskInstanceRecord ti = taskInstances.find(run.dagId(), run.runId(), taskId).orElseThrow(() ->
                new TaskNotFoundException("Task '" + taskId + "' has no task instance in run '" + run.runId()
                        + "' of DAG '" + run.dagId() + "'"));
        TaskSpec task = dag.task(taskId);
        TaskType type = plugins.type(ti.operator()).orElse(null);
        List<TaskPanel.Param> params = new ArrayList<>();
        String paramsError = null;
        Map<String, Object> rendered = null;
        // The values of sensitive variables, the connections' secrets and the XComs' secrets the params use are shown
        // as *** in the rendered params, as in the try's log.
        SecretMasker secrets = new SecretMasker();
        if (task != null && type != null) {
            TemplateContext context = new TemplateContext(run.dagId(), taskId, run.runId(), run.runType(),
                    run.externalTrigger(), run.logicalDate(), run.dataInterval(), run.conf(),
                    TemplateContext.runParams(dag.spec().params(), run.conf()), Math.max(1, ti.tryNumber()))
                    .withVariables(variables.reader(secrets)).withConnections(connections.reader(secrets))
                    .withXComs(xcoms.reader(run.id(), secrets));
            // The params the task type calls sensitive (http headers, ...) are hidden whole, as written or rendered,
            // and their written values in a template's error.
            Set<String> sensitive = type.factory().sensitiveParams();
            SecretMasker sensitiveValues = new SecretMasker();
            sensitiveValues.addParams(sensitive, task.params());
            try {
                rendered = secrets.maskMap(templates.renderParams(task.params(), type.factory(), context));
            } catch (TemplateException | SecretCipher.SecretDecryptionException e) {
                paramsError = sensitiveValues.mask(secrets.mask(e.getMessage()));
            }
            Map<String, Object> shown = rendered != null ? rendered : task.params();
            shown.forEach((k, v) -> params.add(new TaskPanel.Param(k,
                    TriggerForm.json(sensitive.contains(k) ? SecretMasker.MASK : v), type.factory().isTemplated(k))));
        } else if (task != null) {
            task.params().forEach((k, v) -> params.add(new TaskPanel.Param(k, TriggerForm.json(v), false)));
            paramsError = "No plugin provides type '" + ti.operator() + "': params are shown unrendered.";
        }
        List<TaskPanel.Try> tries = tries(ti, xcoms.ofTaskInstance(run.dagId(), run.runId(), taskId, XCOMS_SHOWN)
                .stream().map(x -> new TaskPanel.XCom(x.key(), TriggerForm.json(xcoms.shown(x)))).toList());
        TaskPanel.Sensor sensor = type != null && type.isSensor() && task != null
                ? sensor(ti, run, task, type, rendered, tries) : null;
        List<RunPanel.Link> triggered = queries.triggeredBy(run.dagId(), run.runId()).stream()
                .filter(r -> taskId.equals(r.triggeredByTaskId())).map(DagGridResource::link).toList();
        boolean triggerTask = !triggered.isEmpty() || (task != null && task.params().containsKey("trigger_dag_id"));
        return new TaskPanel(run.dagId(), run.runId(), Urls.encode(run.runId()), taskId, Urls.encode(taskId),
                StateStyle.of(ti.state() == TaskState.NONE ? null : ti.state().wireName()), ti.operator(),
                ti.plugin() == null ? null : ti.plugin() + (ti.pluginVersion() == null ? "" : " " + ti.pluginVersion()),
                ti.pool(), ti.tryNumber(), ti.maxTries() + 1, Dates.format(ti.queuedAt()),
                Dates.format(ti.startDate()), Dates.format(ti.endDate()), Dates.duration(ti.startDate(),
                ti.endDate()), ti.hostname(), Dates.format(ti.nextAttemptAt()), task != null, params, paramsError,
                sensor, triggered, triggerTask, triggeredBy(run), tries);
    }

    /**
     * Every try, newest first: finished ones from their history, the current one from the task instance and with the
     * task instance's XComs.
     */
    private List<TaskPanel.Try> tries(TaskInstanceRecord ti, List<TaskPanel.XCom> currentXComs) {
        List<TaskPanel.Try> out = new ArrayList<>();
        Map<Integer, QueryStore.TryRecord> history = new java.util.HashMap<>();
        for (QueryStore.TryRecord t : queries.tries(ti.id())) {
            history.put(t.tryNumber(), t);
        }
        for (int n = ti.tryNumber(); n >= 1; n--) {
            QueryStore.TryRecord done = history.get(n);
            boolean current = n == ti.tryNumber();
            LogStore.Chunk chunk = logs.read(ti.id(), n, 0, LOG_LINES + 1);
            List<String> lines = chunk.lines();
            boolean truncated = !chunk.atEnd();
            String log = String.join("\n", truncated ? lines.subList(0, LOG_LINES) : lines);
            if (current && (done == null || ti.state() != done.state())) {
                out.add(new TaskPanel.Try(n, StateStyle.of(ti.state().wireName()), Dates.format(ti.startDate()),
                        Dates.format(ti.endDate()), Dates.duration(ti.startDate(), ti.endDate()), ti.hostname(),
                        ti.plugin(), log, truncated, !ti.state().isFinished(), true, currentXComs));
            } else if (done != null) {
                out.add(new TaskPanel.Try(n, StateStyle.of(done.state().wireName()), Dates.format(done.startDate()),
                        Dates.format(done.endDate()), Dates.duration(done.startDate(), done.endDate()),
                        done.hostname(), done.plugin(), log, truncated, false, current,
                        current ? currentXComs : List.of()));
            } else {
                out.add(new TaskPanel.Try(n, StateStyle.of(null), null, null, null, null, null, log, truncated,
                        false, current, List.of()));
            }
        }
        return out;
    }

    private TaskPanel.Sensor sensor(TaskInstanceRecord ti, RunRecord run, TaskSpec task, TaskType type,
                                    Map<String, Object> rendered, List<TaskPanel.Try> tries) {
        SensorSettings settings = task.sensor() != null ? task.sensor() : SensorSettings.DEFAULTS;
        List<String> paths = rendered == null ? List.of() : watchedPaths(type, rendered);
        SensorWaits.External external = rendered == null ? null : SensorWaits.external(rendered, run.logicalDate());
        RunPanel.Link externalRun = null;
        if (external != null && external.logicalDate() != null) {
            externalRun = runs.findAt(external.dagId(), external.logicalDate()).map(r -> new RunPanel.Link(
                    r.runId() + " (" + StateStyle.of(r.state().wireName()).label() + ")",
                    gridHref(r.dagId(), r.runId(), external.taskIds().size() == 1 ? external.taskIds().get(0)
                            : null))).orElse(null);
        }
        String current = tries.isEmpty() ? "" : tries.get(0).log();
        String lastAnswer = SensorWaits.lastAnswer(Arrays.asList(current.split("\n")));
        boolean waiting = ti.state() == TaskState.UP_FOR_RESCHEDULE || ti.state() == TaskState.RUNNING
                || ti.state() == TaskState.SCHEDULED || ti.state() == TaskState.QUEUED;
        String nextPoke = ti.state() == TaskState.UP_FOR_RESCHEDULE ? Dates.format(ti.nextAttemptAt()) : null;
        List<TaskPanel.Reschedule> reschedules = queries.reschedules(ti.id()).stream()
                .map(r -> new TaskPanel.Reschedule(r.tryNumber(), r.pokeCount(), Dates.format(r.startDate()),
                        Dates.format(r.endDate()), Dates.format(r.rescheduleDate()))).toList();
        return new TaskPanel.Sensor(settings.mode().name().toLowerCase(java.util.Locale.ROOT),
                settings.pokeInterval().toSeconds() + " s", settings.timeout().toSeconds() + " s",
                Dates.format(ti.firstPokeAt()), ti.pokeCount(), paths,
                external == null ? null : external.dagId(),
                external == null ? null : gridHref(external.dagId(), null, null),
                external == null ? null : external.tasksText(),
                external == null ? null : Dates.format(external.logicalDate()),
                external == null ? null : external.dateRule(), externalRun, lastAnswer, nextPoke, waiting,
                reschedules);
    }

    /** The files the sensor type says it waits for, given the rendered params (its own answer, as the worker asks). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<String> watchedPaths(TaskType type, Map<String, Object> rendered) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(type.classLoader());
        try {
            Object params = ParamsBinder.bind(rendered, type.factory().paramsType());
            List<WatchedPath> watched = ((SensorFactory) type.sensorFactory()).watchedPaths(params);
            return watched == null ? List.of() : watched.stream()
                    .map(w -> w.pattern() + (w.recursive() ? " (recursive)" : "")).toList();
        } catch (RuntimeException e) {
            return List.of();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}
