package dev.weft.spi.dag;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds a {@link DagSpec} in Java. Defaults follow Airflow 2: catchup on, 16 active runs, 16 active tasks, UTC.
 *
 * <pre>{@code
 * var dag = Dag.builder("listing_6_04_dag01").schedule("0 16 * * *").startDate(Dag.daysAgo(3));
 * var wait = dag.sensor("wait", someSensor).mode(SensorMode.RESCHEDULE);
 * wait.then(dag.task("copy", someOperator));
 * DagSpec spec = dag.build();
 * }</pre>
 */
public final class DagBuilder {
    private final String dagId;
    private String description;
    private String schedule;
    private String timezone = "UTC";
    private Instant startDate;
    private Instant endDate;
    private boolean catchup = true;
    private int maxActiveRuns = 16;
    private int maxActiveTasks = 16;
    private Duration dagrunTimeout;
    private Boolean pausedOnCreation;
    private final Map<String, Object> params = new LinkedHashMap<>();
    private final List<String> tags = new ArrayList<>();
    private final TaskDefaults defaults = new TaskDefaults();
    private final Map<String, AbstractTaskBuilder<?>> tasks = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private Callbacks callbacks = Callbacks.NONE;
    private final List<String> datasets = new ArrayList<>();
    private final List<DatasetFeed> datasetFeeds = new ArrayList<>();

    DagBuilder(String dagId) {
        this.dagId = dagId;
    }

    public DagBuilder description(String description) {
        this.description = description;
        return this;
    }

    /** A cron expression, a preset ({@code @daily}, {@code @hourly}…), {@code @once}, or {@code null} for none. */
    public DagBuilder schedule(String schedule) {
        this.schedule = schedule;
        return this;
    }

    /** A fixed interval, not aligned to the clock: runs cover [start, start + interval), and so on. */
    public DagBuilder schedule(Duration interval) {
        this.schedule = Schedules.ofInterval(interval);
        return this;
    }

    /**
     * Schedules the DAG on datasets (Airflow's {@code schedule=[Dataset(uri), …]}): a run starts when every one of
     * them was updated since the DAG's last dataset-triggered run. With a cron schedule as well, either starts runs.
     */
    public DagBuilder scheduleOnDatasets(String... datasetUris) {
        datasets.addAll(List.of(datasetUris));
        return this;
    }

    /**
     * Feeds a dataset from files arriving in a folder (see {@link DatasetFeed}): each complete upload is one event of
     * the dataset, which starts the DAGs scheduled on it (this one, typically).
     */
    public DagBuilder datasetFeed(DatasetFeed feed) {
        datasetFeeds.add(feed);
        return this;
    }

    /** The zone cron expressions are evaluated in (default UTC); see docs/scheduling.md for the DST policy. */
    public DagBuilder timezone(String zoneId) {
        this.timezone = zoneId;
        return this;
    }

    public DagBuilder timezone(ZoneId zone) {
        return timezone(zone.getId());
    }

    public DagBuilder startDate(Instant startDate) {
        this.startDate = startDate;
        return this;
    }

    public DagBuilder endDate(Instant endDate) {
        this.endDate = endDate;
        return this;
    }

    public DagBuilder catchup(boolean catchup) {
        this.catchup = catchup;
        return this;
    }

    public DagBuilder maxActiveRuns(int maxActiveRuns) {
        this.maxActiveRuns = maxActiveRuns;
        return this;
    }

    public DagBuilder maxActiveTasks(int maxActiveTasks) {
        this.maxActiveTasks = maxActiveTasks;
        return this;
    }

    public DagBuilder dagrunTimeout(Duration dagrunTimeout) {
        this.dagrunTimeout = dagrunTimeout;
        return this;
    }

    public DagBuilder pausedOnCreation(boolean paused) {
        this.pausedOnCreation = paused;
        return this;
    }

    /** A run parameter with its default; {@code dag_run.conf} overrides it for a run. */
    public DagBuilder param(String name, Object defaultValue) {
        params.put(name, defaultValue);
        return this;
    }

    public DagBuilder tags(String... tags) {
        this.tags.addAll(List.of(tags));
        return this;
    }

    /** Airflow's DAG-level {@code on_failure_callback}: runs when a run fails (its reason in the context). */
    public DagBuilder onFailureCallback(Callback... callbacks) {
        this.callbacks = this.callbacks.with(Callbacks.Event.ON_FAILURE_CALLBACK, List.of(callbacks));
        return this;
    }

    /** Airflow's DAG-level {@code on_success_callback}: runs when a run succeeds. */
    public DagBuilder onSuccessCallback(Callback... callbacks) {
        this.callbacks = this.callbacks.with(Callbacks.Event.ON_SUCCESS_CALLBACK, List.of(callbacks));
        return this;
    }

    /** Default task arguments (Airflow's {@code default_args}), e.g. {@code d -> d.retries(2)}. */
    public DagBuilder defaultArgs(Consumer<TaskDefaults> settings) {
        settings.accept(defaults);
        return this;
    }

    /** Adds an operator task. */
    public TaskBuilder task(String taskId, OperatorRef operator) {
        return add(new TaskBuilder(this, taskId, operator.type(), operator.params()));
    }

    /** Adds a sensor task. */
    public SensorBuilder sensor(String taskId, SensorRef sensor) {
        return add(new SensorBuilder(this, taskId, sensor.type(), sensor.params()));
    }

    private <T extends AbstractTaskBuilder<T>> T add(T task) {
        if (tasks.putIfAbsent(task.taskId, task) != null) {
            problems.add("duplicate task id '" + task.taskId + "'");
        }
        return task;
    }

    /**
     * Validates and returns the DAG as data.
     *
     * @throws DagDefinitionException naming every problem: duplicate or invalid ids, a cycle, a bad schedule,
     *                                a scheduled DAG without start date, bad limits or sensor settings
     */
    public DagSpec build() {
        List<String> found = new ArrayList<>(problems);
        List<TaskSpec> specs = new ArrayList<>();
        for (AbstractTaskBuilder<?> task : tasks.values()) {
            for (AbstractTaskBuilder<?> up : task.upstream) {
                if (up.dag != this) {
                    found.add("task '" + task.taskId + "' depends on '" + up.taskId + "' of DAG '" + up.dag.dagId
                            + "'; use an external-task sensor or a trigger to link DAGs");
                }
            }
            try {
                specs.add(task.toSpec(defaults));
            } catch (IllegalArgumentException | NullPointerException e) {
                found.add("task '" + task.taskId + "': " + e.getMessage());
            }
        }
        specs.sort(Comparator.comparing(TaskSpec::taskId));
        DagSpec spec = new DagSpec(dagId, description, schedule, timezone, startDate, endDate, catchup,
                maxActiveRuns, maxActiveTasks, dagrunTimeout, pausedOnCreation, params, tags, specs, callbacks, datasets,
                datasetFeeds);
        if (found.isEmpty()) {
            found.addAll(DagValidation.problems(spec));
        }
        if (!found.isEmpty()) {
            throw new DagDefinitionException(dagId, found);
        }
        return spec;
    }
}
