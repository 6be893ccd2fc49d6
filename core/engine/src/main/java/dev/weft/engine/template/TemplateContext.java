package dev.weft.engine.template;

import dev.weft.spi.DataInterval;
import dev.weft.spi.RunType;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a template sees for one task try: built by the engine, then given to {@link TemplateRenderer}.
 *
 * <p>{@link #variables()} offers Airflow 2.10's context keys (reference B10.1, subset of B10.2): {@code ds},
 * {@code ds_nodash}, {@code ts}, {@code ts_nodash}, {@code ts_nodash_with_tz}, {@code logical_date},
 * {@code data_interval_start}, {@code data_interval_end} ({@link PyDateTime}s in UTC), {@code dag_run},
 * {@code run_id}, {@code params}, {@code ti} and {@code task_instance} (the same object), {@code task},
 * {@code dag}, {@code task_instance_key_str}, {@code macros}, {@code var} (Airflow Variables, read from
 * {@link #variableSource}) and {@code conn} (Airflow connections, read from {@link #connectionSource}), plus the
 * {@link #extra} variables. {@code ti.xcom_pull(...)} reads {@link #xcomSource}.
 * The run's conf is {@code dag_run.conf}; there is no top-level {@code conf} (in Airflow that name is the
 * configuration object, reference B10.3).
 *
 * <p>{@code conf}, {@code params} and {@code extra} are deep-copied into immutable {@link PyDict}s, so a context
 * can be shared by threads and later changes to the caller's maps do not show.
 *
 * @param params the DAG params already overridden key by key by the run's conf (reference B10.4)
 * @param extra  additional variables; a name that is already a built-in variable is rejected
 * @param variableSource where {@code var.value.x} and {@code var.json.x} are read (null: no variables)
 * @param xcomSource     where {@code ti.xcom_pull(...)} reads (null: no XComs)
 * @param connectionSource where {@code conn.x} is read (null: no connections)
 */
public record TemplateContext(
        String dagId,
        String taskId,
        String runId,
        RunType runType,
        boolean externalTrigger,
        Instant logicalDate,
        DataInterval dataInterval,
        Map<String, Object> conf,
        Map<String, Object> params,
        int tryNumber,
        Map<String, Object> extra,
        VariableSource variableSource,
        XComSource xcomSource,
        ConnectionSource connectionSource) {

    /** The names {@link #variables()} defines itself. */
    public static final Set<String> BUILT_IN_VARIABLES = Collections.unmodifiableSet(new TreeSet<>(Set.of(
            "ds", "ds_nodash", "ts", "ts_nodash", "ts_nodash_with_tz", "logical_date", "data_interval_start",
            "data_interval_end", "dag_run", "run_id", "params", "ti", "task_instance", "task", "dag",
            "task_instance_key_str", "macros", "var", "conn")));

    public TemplateContext {
        Objects.requireNonNull(dagId, "dagId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(runType, "runType");
        Objects.requireNonNull(logicalDate, "logicalDate");
        Objects.requireNonNull(dataInterval, "dataInterval");
        if (tryNumber < 0) {
            throw new IllegalArgumentException("tryNumber must not be negative: " + tryNumber);
        }
        conf = PyDict.copyOf(conf);
        params = PyDict.copyOf(params);
        if (extra != null) {
            for (String name : extra.keySet()) {
                if (BUILT_IN_VARIABLES.contains(name)) {
                    throw new IllegalArgumentException("extra template variable '" + name
                            + "' would hide the built-in variable of that name");
                }
            }
        }
        extra = PyDict.copyOf(extra);
        variableSource = variableSource == null ? VariableSource.NONE : variableSource;
        xcomSource = xcomSource == null ? XComSource.NONE : xcomSource;
        connectionSource = connectionSource == null ? ConnectionSource.NONE : connectionSource;
    }

    /** A context without Airflow Variables, XComs and connections. */
    public TemplateContext(String dagId, String taskId, String runId, RunType runType, boolean externalTrigger,
                           Instant logicalDate, DataInterval dataInterval, Map<String, Object> conf,
                           Map<String, Object> params, int tryNumber, Map<String, Object> extra) {
        this(dagId, taskId, runId, runType, externalTrigger, logicalDate, dataInterval, conf, params, tryNumber, extra,
                VariableSource.NONE, XComSource.NONE, ConnectionSource.NONE);
    }

    /** A context without extra variables. */
    public TemplateContext(String dagId, String taskId, String runId, RunType runType, boolean externalTrigger,
                           Instant logicalDate, DataInterval dataInterval, Map<String, Object> conf,
                           Map<String, Object> params, int tryNumber) {
        this(dagId, taskId, runId, runType, externalTrigger, logicalDate, dataInterval, conf, params, tryNumber, Map.of());
    }

    /** This context with {@code extra} (replacing any previous extra variables). */
    public TemplateContext withExtra(Map<String, Object> extra) {
        return new TemplateContext(dagId, taskId, runId, runType, externalTrigger, logicalDate, dataInterval, conf,
                params, tryNumber, extra, variableSource, xcomSource, connectionSource);
    }

    /** This context with {@code var} reading from {@code source}. */
    public TemplateContext withVariables(VariableSource source) {
        return new TemplateContext(dagId, taskId, runId, runType, externalTrigger, logicalDate, dataInterval, conf,
                params, tryNumber, extra, source, xcomSource, connectionSource);
    }

    /** This context with {@code ti.xcom_pull(...)} reading from {@code source}. */
    public TemplateContext withXComs(XComSource source) {
        return new TemplateContext(dagId, taskId, runId, runType, externalTrigger, logicalDate, dataInterval, conf,
                params, tryNumber, extra, variableSource, source, connectionSource);
    }

    /** This context with {@code conn} reading from {@code source}. */
    public TemplateContext withConnections(ConnectionSource source) {
        return new TemplateContext(dagId, taskId, runId, runType, externalTrigger, logicalDate, dataInterval, conf,
                params, tryNumber, extra, variableSource, xcomSource, source);
    }

    /** A try's params: the DAG's params with their defaults, overridden key by key by the run's conf (B10.4). */
    public static Map<String, Object> runParams(Map<String, Object> dagParams, Map<String, Object> conf) {
        Map<String, Object> params = new LinkedHashMap<>();
        // forEach, not the copy constructor, which reads the DAG's map through its entry set: see
        // TemplateRenderer.renderParams.
        dagParams.forEach(params::put);
        params.putAll(conf);
        return params;
    }

    /** Python's isoformat of an instant in UTC, as in run ids: see {@link PyDates#isoformat(Instant)}. */
    public static String isoformat(Instant instant) {
        return PyDates.isoformat(instant);
    }

    /** The variables a template can use, by name (a new, unmodifiable map on each call). */
    public Map<String, Object> variables() {
        Map<String, Object> v = new HashMap<>(32);
        PyDateTime logical = PyDateTime.of(logicalDate);
        String dsNodash = PyDates.dsNodash(logicalDate);
        v.put("ds", PyDates.ds(logicalDate));
        v.put("ds_nodash", dsNodash);
        v.put("ts", PyDates.isoformat(logicalDate));
        v.put("ts_nodash", PyDates.tsNodash(logicalDate));
        v.put("ts_nodash_with_tz", PyDates.tsNodashWithTz(logicalDate));
        v.put("logical_date", logical);
        v.put("data_interval_start", PyDateTime.of(dataInterval.start()));
        v.put("data_interval_end", PyDateTime.of(dataInterval.end()));
        v.put("dag_run", new TemplateObjects.DagRun(this, logical));
        v.put("run_id", runId);
        v.put("params", params);
        TemplateObjects.TaskInstance ti = new TemplateObjects.TaskInstance(this);
        v.put("ti", ti);
        v.put("task_instance", ti);
        v.put("task", new TemplateObjects.Task(this));
        v.put("dag", new TemplateObjects.Dag(dagId));
        v.put("task_instance_key_str", dagId + "__" + taskId + "__" + dsNodash);
        v.put("macros", Macros.INSTANCE);
        v.put("var", new TemplateVariables(variableSource));
        v.put("conn", TemplateConnections.lookup(connectionSource));
        v.putAll(extra);
        return Collections.unmodifiableMap(v);
    }
}
