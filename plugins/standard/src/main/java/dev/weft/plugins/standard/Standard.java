package dev.weft.plugins.standard;

import dev.weft.spi.dag.JsonValues;
import dev.weft.spi.dag.OperatorRef;
import dev.weft.spi.dag.SensorRef;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The DAG DSL of the standard plugin: typed builders for {@code DagBuilder.task(...)} and {@code DagBuilder.sensor(...)}.
 * Each builder is immutable (every setter returns a new one), so a configured builder can be shared between tasks.
 *
 * <pre>{@code
 * var dag = Dag.builder("listing_6_04_dag01").schedule("0 16 * * *").startDate(Dag.daysAgo(3));
 * var wait = dag.sensor("wait_for_supermarket_1",
 *         Standard.callableSensor(Supermarkets.class, "waitForSupermarket").kwargs("supermarket_id_", "supermarket1"))
 *     .mode(SensorMode.RESCHEDULE);
 * var copy = dag.task("copy_to_raw_supermarket_1", Standard.shell("cp -r /data/supermarket1 /raw/"));
 * var trigger = dag.task("trigger_create_metrics_dag", Standard.triggerDagRun("listing_6_04_dag02")
 *         .conf(Map.of("supermarket_id", 1)));
 * wait.then(copy).then(trigger);
 * }</pre>
 */
public final class Standard {
    private Standard() {
    }

    /** {@code standard.empty}: does nothing (Airflow's EmptyOperator / DummyOperator). */
    public static OperatorRef empty() {
        return OperatorRef.of(EmptyOperatorFactory.TYPE, Map.of());
    }

    /** {@code standard.callable}: calls {@code owner.method}, a public static method (Airflow's PythonOperator). */
    public static Callable callable(Class<?> owner, String method) {
        return new Callable(Map.of("callable", reference(owner, method)));
    }

    /** {@code standard.callable} with the method written {@code "com.acme.Checks::method"}. */
    public static Callable callable(String reference) {
        return new Callable(Map.of("callable", reference));
    }

    /**
     * {@code standard.branch}: calls {@code owner.method}, which returns the task id(s) to follow; the other direct
     * downstream tasks are skipped (Airflow's BranchPythonOperator).
     */
    public static Branch branch(Class<?> owner, String method) {
        return new Branch(Map.of("callable", reference(owner, method)));
    }

    /** {@code standard.branch} with the method written {@code "com.acme.Checks::method"}. */
    public static Branch branch(String reference) {
        return new Branch(Map.of("callable", reference));
    }

    /**
     * {@code standard.short_circuit}: calls {@code owner.method}; a falsy result skips the tasks downstream (Airflow's
     * ShortCircuitOperator).
     */
    public static ShortCircuit shortCircuit(Class<?> owner, String method) {
        return new ShortCircuit(Map.of("callable", reference(owner, method)));
    }

    /** {@code standard.short_circuit} with the method written {@code "com.acme.Checks::method"}. */
    public static ShortCircuit shortCircuit(String reference) {
        return new ShortCircuit(Map.of("callable", reference));
    }

    /**
     * {@code standard.latest_only}: skips its direct downstream tasks unless the run is the latest scheduled one or
     * manual (Airflow's LatestOnlyOperator).
     */
    public static OperatorRef latestOnly() {
        return OperatorRef.of(LatestOnlyOperatorFactory.TYPE, Map.of());
    }

    /** {@code standard.shell}: runs {@code command} with {@code bash -c} (Airflow's BashOperator). */
    public static Shell shell(String command) {
        return new Shell(Map.of("command", command));
    }

    /** {@code standard.file_sensor}: waits for a file or glob pattern (Airflow's FileSensor). */
    public static FileSensor fileSensor(String filepath) {
        return new FileSensor(Map.of("filepath", filepath));
    }

    /** {@code standard.shell_sensor}: waits until {@code command} exits with 0 (Airflow's BashSensor). */
    public static ShellSensor shellSensor(String command) {
        return new ShellSensor(Map.of("command", command));
    }

    /** {@code standard.callable_sensor}: waits until {@code owner.method} returns a truthy value (PythonSensor). */
    public static CallableSensor callableSensor(Class<?> owner, String method) {
        return new CallableSensor(Map.of("callable", reference(owner, method)));
    }

    /** {@code standard.callable_sensor} with the method written {@code "com.acme.Checks::method"}. */
    public static CallableSensor callableSensor(String reference) {
        return new CallableSensor(Map.of("callable", reference));
    }

    /** {@code standard.external_task_sensor}: waits for tasks or a run of {@code dagId} (ExternalTaskSensor). */
    public static ExternalTask externalTask(String dagId) {
        return new ExternalTask(Map.of("external_dag_id", dagId));
    }

    /**
     * {@code standard.trigger_dag_run}: triggers a run of {@code dagId} (TriggerDagRunOperator). Usable with both
     * {@code dag.task(...)} (a sensor with default settings) and {@code dag.sensor(...)}.
     */
    public static TriggerDagRun triggerDagRun(String dagId) {
        return new TriggerDagRun(Map.of("trigger_dag_id", dagId));
    }

    private static String reference(Class<?> owner, String method) {
        return Objects.requireNonNull(owner, "owner").getName() + "::" + Objects.requireNonNull(method, "method");
    }

    private static String duration(Duration d) {
        return Objects.requireNonNull(d, "duration").toString();
    }

    /** What every builder shares: a type id and an immutable params map, copied on every change. */
    public abstract static class Builder<B extends Builder<B>> {
        private final String type;
        private final Map<String, Object> params;

        Builder(String type, Map<String, ?> params) {
            this.type = type;
            this.params = JsonValues.immutableCopy(params);
        }

        abstract B copy(Map<String, Object> params);

        /** A copy with {@code key} set to {@code value} ({@code null} removes it). */
        B with(String key, Object value) {
            Map<String, Object> next = new LinkedHashMap<>(params);
            if (value == null) {
                next.remove(key);
            } else {
                next.put(key, value);
            }
            return copy(next);
        }

        /** A copy with {@code value} merged into the map param {@code key}. */
        B withEntries(String key, Map<String, ?> entries) {
            Map<String, Object> merged = new LinkedHashMap<>();
            if (params.get(key) instanceof Map<?, ?> existing) {
                existing.forEach((k, v) -> merged.put((String) k, v));
            }
            merged.putAll(entries);
            return with(key, merged);
        }

        /** The type id, e.g. {@code standard.shell}. */
        public String type() {
            return type;
        }

        /** The params as JSON values, snake_case keys as Airflow names them. */
        public Map<String, Object> params() {
            return params;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Builder<?> b && b.getClass() == getClass() && b.params.equals(params);
        }

        @Override
        public int hashCode() {
            return Objects.hash(type, params);
        }

        @Override
        public String toString() {
            return type + params;
        }
    }

    /** Shared by the two callable types: {@code op_kwargs} and {@code op_args}. */
    public abstract static class CallableBuilder<B extends CallableBuilder<B>> extends Builder<B> {
        CallableBuilder(String type, Map<String, ?> params) {
            super(type, params);
        }

        /** Adds one {@code op_kwargs} entry: the value of the method parameter named {@code name}. */
        public B kwargs(String name, Object value) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put(name, value);
            return withEntries("op_kwargs", one);
        }

        /** Adds {@code op_kwargs} entries. */
        public B kwargs(Map<String, ?> kwargs) {
            return withEntries("op_kwargs", kwargs);
        }

        /** Sets {@code op_args}: values for the method's first parameters, in order. */
        public B args(Object... args) {
            return with("op_args", Collections.unmodifiableList(new ArrayList<>(Arrays.asList(args))));
        }
    }

    /** {@code standard.callable}. */
    public static final class Callable extends CallableBuilder<Callable> implements OperatorRef {
        Callable(Map<String, ?> params) {
            super(CallableOperatorFactory.TYPE, params);
        }

        @Override
        Callable copy(Map<String, Object> params) {
            return new Callable(params);
        }
    }

    /** {@code standard.branch}. */
    public static final class Branch extends CallableBuilder<Branch> implements OperatorRef {
        Branch(Map<String, ?> params) {
            super(BranchOperatorFactory.TYPE, params);
        }

        @Override
        Branch copy(Map<String, Object> params) {
            return new Branch(params);
        }
    }

    /** {@code standard.short_circuit}. */
    public static final class ShortCircuit extends CallableBuilder<ShortCircuit> implements OperatorRef {
        ShortCircuit(Map<String, ?> params) {
            super(ShortCircuitOperatorFactory.TYPE, params);
        }

        @Override
        ShortCircuit copy(Map<String, Object> params) {
            return new ShortCircuit(params);
        }

        /**
         * true (default): a falsy result skips every task downstream, whatever its trigger rule; false: only the
         * direct downstream tasks, and the others follow their trigger rules.
         */
        public ShortCircuit ignoreDownstreamTriggerRules(boolean ignore) {
            return with("ignore_downstream_trigger_rules", ignore);
        }
    }

    /** {@code standard.callable_sensor}. */
    public static final class CallableSensor extends CallableBuilder<CallableSensor> implements SensorRef {
        CallableSensor(Map<String, ?> params) {
            super(CallableSensorFactory.TYPE, params);
        }

        @Override
        CallableSensor copy(Map<String, Object> params) {
            return new CallableSensor(params);
        }
    }

    /** What {@code standard.shell} and {@code standard.shell_sensor} share: how the command runs. */
    public abstract static class Command<B extends Command<B>> extends Builder<B> {
        Command(String type, Map<String, ?> params) {
            super(type, params);
        }

        /** Adds environment variables; unless {@link #appendEnv}, they replace the worker's environment. */
        public B env(Map<String, String> env) {
            return withEntries("env", env);
        }

        public B env(String name, String value) {
            return withEntries("env", Map.of(name, value));
        }

        /** Adds {@code env} to the worker's environment instead of replacing it. */
        public B appendEnv(boolean appendEnv) {
            return with("append_env", appendEnv);
        }

        /** The working directory (default: a new temporary directory). */
        public B cwd(String cwd) {
            return with("cwd", cwd);
        }
    }

    /** {@code standard.shell}. */
    public static final class Shell extends Command<Shell> implements OperatorRef {
        Shell(Map<String, ?> params) {
            super(ShellOperatorFactory.TYPE, params);
        }

        @Override
        Shell copy(Map<String, Object> params) {
            return new Shell(params);
        }

        /** Exit codes that end the task as skipped (default 99; none given: never skip). */
        public Shell skipOnExitCode(int... codes) {
            if (codes.length == 1) {
                return with("skip_on_exit_code", codes[0]);
            }
            return with("skip_on_exit_code", Arrays.stream(codes).boxed().toList());
        }
    }

    /** {@code standard.shell_sensor}. */
    public static final class ShellSensor extends Command<ShellSensor> implements SensorRef {
        ShellSensor(Map<String, ?> params) {
            super(ShellSensorFactory.TYPE, params);
        }

        @Override
        ShellSensor copy(Map<String, Object> params) {
            return new ShellSensor(params);
        }

        /** Exit codes that fail the sensor at once instead of asking for another poke. */
        public ShellSensor failExitCodes(int... codes) {
            return with("fail_exit_codes", Arrays.stream(codes).boxed().toList());
        }

        /** The one non-zero code that means "not yet"; every other non-zero code then fails (Airflow's rule). */
        public ShellSensor retryExitCode(int code) {
            return with("retry_exit_code", code);
        }
    }

    /** {@code standard.file_sensor}. */
    public static final class FileSensor extends Builder<FileSensor> implements SensorRef {
        FileSensor(Map<String, ?> params) {
            super(FileSensorFactory.TYPE, params);
        }

        @Override
        FileSensor copy(Map<String, Object> params) {
            return new FileSensor(params);
        }

        /** Let {@code **} match any number of directories. */
        public FileSensor recursive(boolean recursive) {
            return with("recursive", recursive);
        }

        /** Where relative file paths start (default {@code /}). */
        public FileSensor basePath(String basePath) {
            return with("base_path", basePath);
        }
    }

    /** {@code standard.external_task_sensor}. */
    public static final class ExternalTask extends Builder<ExternalTask> implements SensorRef {
        ExternalTask(Map<String, ?> params) {
            super(ExternalTaskSensorFactory.TYPE, params);
        }

        @Override
        ExternalTask copy(Map<String, Object> params) {
            return new ExternalTask(params);
        }

        /** Wait for this task (replaces {@link #taskIds}). */
        public ExternalTask taskId(String taskId) {
            return with("external_task_ids", null).with("external_task_id", taskId);
        }

        /** Wait for all of these tasks (replaces {@link #taskId}). */
        public ExternalTask taskIds(String... taskIds) {
            return with("external_task_id", null).with("external_task_ids", List.of(taskIds));
        }

        /** Look at {@code logical date - delta} (a positive delta looks into the past). */
        public ExternalTask executionDelta(Duration delta) {
            return with("execution_delta", duration(delta));
        }

        /** Compute the date(s) with {@code owner.method(Instant logicalDate[, TaskContext])}. */
        public ExternalTask executionDateFn(Class<?> owner, String method) {
            return with("execution_date_fn", reference(owner, method));
        }

        public ExternalTask executionDateFn(String reference) {
            return with("execution_date_fn", reference);
        }

        /** Look at the date this template renders, e.g. {@code "{{ macros.ds_add(ds, -1) }}"} (Weft's extension). */
        public ExternalTask executionDate(String template) {
            return with("execution_date", template);
        }

        public ExternalTask allowedStates(String... states) {
            return with("allowed_states", List.of(states));
        }

        public ExternalTask failedStates(String... states) {
            return with("failed_states", List.of(states));
        }

        public ExternalTask skippedStates(String... states) {
            return with("skipped_states", List.of(states));
        }

        /** Fail when the DAG or a task does not exist, instead of waiting. */
        public ExternalTask checkExistence(boolean checkExistence) {
            return with("check_existence", checkExistence);
        }
    }

    /** {@code standard.trigger_dag_run}: an operator and a sensor reference at once. */
    public static final class TriggerDagRun extends Builder<TriggerDagRun> implements OperatorRef, SensorRef {
        TriggerDagRun(Map<String, ?> params) {
            super(TriggerDagRunFactory.TYPE, params);
        }

        @Override
        TriggerDagRun copy(Map<String, Object> params) {
            return new TriggerDagRun(params);
        }

        /** The triggered run's conf (replaces any set before). */
        public TriggerDagRun conf(Map<String, ?> conf) {
            return with("conf", new LinkedHashMap<>(conf));
        }

        /** The triggered run's id (default {@code manual__<logical date>}). */
        public TriggerDagRun runId(String runId) {
            return with("trigger_run_id", runId);
        }

        /** The triggered run's logical date, ISO-8601 or a template such as {@code {{ logical_date }}}. */
        public TriggerDagRun logicalDate(String logicalDate) {
            return with("logical_date", logicalDate);
        }

        public TriggerDagRun logicalDate(Instant logicalDate) {
            return with("logical_date", logicalDate.toString());
        }

        /** When the run exists, clear and reuse it. */
        public TriggerDagRun resetDagRun(boolean reset) {
            return with("reset_dag_run", reset);
        }

        /** Wait until the triggered run finishes. */
        public TriggerDagRun waitForCompletion(boolean wait) {
            return with("wait_for_completion", wait);
        }

        /** How often to check the run while waiting (default 60 s). */
        public TriggerDagRun pokeInterval(Duration interval) {
            return with("poke_interval", duration(interval));
        }

        public TriggerDagRun allowedStates(String... states) {
            return with("allowed_states", List.of(states));
        }

        public TriggerDagRun failedStates(String... states) {
            return with("failed_states", List.of(states));
        }

        /** When the run exists (and is not reset), skip this task instead of failing. */
        public TriggerDagRun skipWhenAlreadyExists(boolean skip) {
            return with("skip_when_already_exists", skip);
        }
    }
}
