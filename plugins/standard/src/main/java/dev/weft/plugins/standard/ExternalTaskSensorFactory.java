package dev.weft.plugins.standard;

import dev.weft.spi.IsoDates;
import dev.weft.spi.DagRuns;
import dev.weft.spi.DagRuns.DagInfo;
import dev.weft.spi.DagRuns.TaskStateInfo;
import dev.weft.spi.DefinitionContext;
import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.PluginContext;
import dev.weft.spi.PokeResult;
import dev.weft.spi.RunState;
import dev.weft.spi.Sensor;
import dev.weft.spi.SensorContext;
import dev.weft.spi.SensorFactory;
import dev.weft.spi.TaskSkipException;
import dev.weft.spi.TaskState;

import java.lang.reflect.Parameter;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code standard.external_task_sensor}: waits for tasks of another DAG, or for a whole run of it, at the same
 * logical date or at dates shifted by {@code execution_delta} / computed by {@code execution_date_fn} (Airflow's
 * ExternalTaskSensor), or at the date a template renders ({@code execution_date}, Weft's extension: the same as a
 * function, in a DAG file without Java). Matching is exact equality of logical dates.
 *
 * <p>Better than Airflow: when the other DAG is scheduled and a date looked for is not one of its logical dates (and
 * no run exists there), the sensor fails at once (skipped with {@code soft_fail}), naming the nearest logical dates
 * the DAG has and the {@code execution_delta} that would reach them, instead of poking until its timeout. When a run
 * may still come at that date (the DAG has had manual or triggered runs), it logs the same advice and keeps waiting.
 */
public final class ExternalTaskSensorFactory implements SensorFactory<ExternalTaskSensorFactory.Params> {
    public static final String TYPE = "standard.external_task_sensor";
    private static final Set<String> TEMPLATED = Set.of("external_dag_id", "external_task_id", "external_task_ids",
            "execution_date");
    private static final String TASK_STATES = java.util.Arrays.stream(TaskState.values()).map(TaskState::wireName)
            .collect(Collectors.joining(", "));
    private static final String RUN_STATES = java.util.Arrays.stream(RunState.values()).map(RunState::wireName)
            .collect(Collectors.joining(", "));

    /**
     * @param externalDagId   the DAG to watch (required)
     * @param externalTaskId  one task to wait for
     * @param externalTaskIds several tasks to wait for; with neither, the sensor waits for the DAG run itself
     * @param allowedStates   states that satisfy the sensor (default {@code [success]})
     * @param skippedStates   states that make the sensor skipped (default none)
     * @param failedStates    states that fail the sensor (default none: an external failure keeps it waiting)
     * @param executionDelta  look at {@code logical date - execution_delta} instead of the own logical date
     * @param executionDateFn {@code Class::method} computing the date(s) from the logical date
     * @param executionDate   a template rendering the date to look at, an ISO date or date-time
     * @param checkExistence  fail when the DAG or a task does not exist (default false)
     */
    public record Params(String externalDagId, String externalTaskId, List<String> externalTaskIds,
                         List<String> allowedStates, List<String> skippedStates, List<String> failedStates,
                         Duration executionDelta, String executionDateFn, String executionDate,
                         boolean checkExistence) {
        public Params {
            if (externalDagId == null || externalDagId.isBlank()) {
                throw new InvalidParamsException("external_dag_id", "is required: the DAG to wait for");
            }
            if (externalTaskIds != null && externalTaskIds.isEmpty()) {
                externalTaskIds = null;
            }
            if (externalTaskId != null && externalTaskId.isBlank()) {
                externalTaskId = null;
            }
            if (externalTaskId != null && externalTaskIds != null) {
                throw new InvalidParamsException("external_task_ids",
                        "set external_task_id or external_task_ids, not both");
            }
            if (executionDate != null && executionDate.isBlank()) {
                executionDate = null;
            }
            if ((executionDelta != null ? 1 : 0) + (executionDateFn != null ? 1 : 0) + (executionDate != null ? 1 : 0)
                    > 1) {
                throw new InvalidParamsException(executionDate != null ? "execution_date" : "execution_date_fn",
                        "set one of execution_delta, execution_date_fn and execution_date, not several");
            }
            if (executionDate != null && !executionDate.contains("{{")) {
                date(executionDate); // a fixed date is checked when the DAG loads; a template once rendered
            }
            if (externalTaskIds != null) {
                Set<String> seen = new LinkedHashSet<>();
                for (String id : externalTaskIds) {
                    if (id == null || id.isBlank()) {
                        throw new InvalidParamsException("external_task_ids", "holds an empty task id");
                    }
                    if (!seen.add(id)) {
                        throw new InvalidParamsException("external_task_ids", "lists '" + id + "' twice");
                    }
                }
                externalTaskIds = List.copyOf(externalTaskIds);
            }
            boolean taskMode = externalTaskId != null || externalTaskIds != null;
            allowedStates = states("allowed_states", allowedStates == null ? List.of("success") : allowedStates, taskMode);
            skippedStates = states("skipped_states", skippedStates == null ? List.of() : skippedStates, taskMode);
            failedStates = states("failed_states", failedStates == null ? List.of() : failedStates, taskMode);
            disjoint("skipped_states", skippedStates, "allowed_states", allowedStates);
            disjoint("failed_states", failedStates, "allowed_states", allowedStates);
            disjoint("failed_states", failedStates, "skipped_states", skippedStates);
        }

        /** The tasks waited for; empty when the sensor waits for the whole DAG run. */
        public List<String> taskIds() {
            return externalTaskId != null ? List.of(externalTaskId) : externalTaskIds != null ? externalTaskIds : List.of();
        }

        private static List<String> states(String field, List<String> states, boolean taskMode) {
            List<String> out = new ArrayList<>();
            for (String s : states) {
                String state = s == null ? "none" : s.strip().toLowerCase(Locale.ROOT);
                try {
                    if (taskMode) {
                        TaskState.fromWire(state);
                    } else {
                        RunState.fromWire(state);
                    }
                } catch (IllegalArgumentException e) {
                    throw new InvalidParamsException(field, taskMode
                            ? "'" + s + "' is not a task state; known: " + TASK_STATES
                            : "'" + s + "' is not a DAG run state; without external_task_id(s) the sensor waits for the "
                            + "whole DAG run, whose states are " + RUN_STATES);
                }
                out.add(state);
            }
            return List.copyOf(out);
        }

        private static void disjoint(String field, List<String> a, String otherField, List<String> b) {
            for (String s : a) {
                if (b.contains(s)) {
                    throw new InvalidParamsException(field, "'" + s + "' is also in " + otherField
                            + "; a state may be in only one of allowed_states, skipped_states and failed_states");
                }
            }
        }
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public String description() {
        return "Waits for tasks or a run of another DAG (Airflow's ExternalTaskSensor)";
    }

    @Override
    public boolean isTemplated(String paramName) {
        return TEMPLATED.contains(paramName);
    }

    @Override
    public void validate(Params params, DefinitionContext context) {
        if (params.executionDateFn() != null) {
            dateFn(params.executionDateFn(), context.dagClassLoader());
        }
    }

    /** Resolves {@code execution_date_fn}: one Instant parameter (plus an optional context), returning date(s). */
    private static Callables.Plan dateFn(String ref, ClassLoader loader) {
        Callables.Target target = Callables.resolve("execution_date_fn", ref, loader);
        List<Parameter> values = java.util.Arrays.stream(target.method().getParameters())
                .filter(p -> !dev.weft.spi.TaskContext.class.isAssignableFrom(p.getType())).toList();
        if (values.size() != 1 || !values.get(0).getType().isAssignableFrom(Instant.class)) {
            throw new InvalidParamsException("execution_date_fn", target.signature()
                    + " must take the logical date (an Instant) as its one parameter, besides an optional TaskContext");
        }
        Class<?> ret = target.method().getReturnType();
        if (!(ret == Instant.class || ret == Object.class || TemporalAccessor.class.isAssignableFrom(ret)
                || Collection.class.isAssignableFrom(ret) || ret == Instant[].class)) {
            throw new InvalidParamsException("execution_date_fn", target.signature() + " returns "
                    + ret.getSimpleName() + "; it must return an Instant or a collection of Instants");
        }
        return Callables.plan(target, "execution_date_fn", "execution_date_fn", 1, List.of(),
                SensorContext.class);
    }

    @Override
    public Sensor<Params> create(PluginContext pluginContext) {
        return ExternalTaskSensorFactory::poke;
    }

    private static PokeResult poke(Params params, SensorContext ctx) throws Exception {
        DagRuns dagRuns = ctx.dagRuns();
        String dagId = params.externalDagId();
        List<String> taskIds = params.taskIds();
        List<Instant> dates = dates(params, ctx);
        String target = taskIds.isEmpty() ? "the run of DAG '" + dagId + "'"
                : (taskIds.size() == 1 ? "task " : "tasks ") + taskIds + " of DAG '" + dagId + "'";
        ctx.log().info("Poking for {} at logical date(s) {} ({}); allowed_states={}, failed_states={}, skipped_states={}",
                target, iso(dates), howDatesWereFound(params, ctx), params.allowedStates(), params.failedStates(),
                params.skippedStates());

        Optional<DagInfo> dag = dagRuns.dag(dagId);
        if (params.checkExistence()) {
            if (dag.isEmpty()) {
                throw new IllegalStateException("The external DAG " + dagId + " does not exist.");
            }
            for (String taskId : taskIds) {
                if (!dag.get().taskIds().contains(taskId)) {
                    throw new IllegalStateException("The external task " + taskId + " in DAG " + dagId
                            + " does not exist.");
                }
            }
        } else if (dag.isEmpty()) {
            ctx.log().warn("DAG '{}' is not known (yet); waiting. Set check_existence to fail instead.", dagId);
        }

        Optional<String> never = neverMatching(params, ctx, dag, dates);
        if (never.isPresent()) {
            // Failing is only right when no run can come there: in doubt, wait, and say why.
            List<String> doubts = dagRuns.offScheduleRunReasons(dagId);
            if (doubts.isEmpty()) {
                ctx.log().error("{}", never.get());
                return PokeResult.failed(never.get());
            }
            ctx.log().warn("{} Still waiting, as a run may come there all the same: {}.", never.get(),
                    String.join("; ", doubts));
        }

        // What each (task, date) or date is in; absent = no run (or no such task) yet.
        Map<String, String> found = new java.util.LinkedHashMap<>();
        if (taskIds.isEmpty()) {
            for (Instant d : dates) {
                found.put(iso(d), dagRuns.runAt(dagId, d).map(r -> r.state().wireName()).orElse(null));
            }
        } else {
            Map<String, String> states = new HashMap<>();
            for (TaskStateInfo info : dagRuns.taskStates(dagId, taskIds, dates)) {
                states.put(info.taskId() + "@" + info.logicalDate(), info.state().wireName());
            }
            for (Instant d : dates) {
                for (String t : taskIds) {
                    found.put(t + " @ " + iso(d), states.get(t + "@" + d));
                }
            }
        }
        String summary = found.entrySet().stream()
                .map(e -> e.getKey() + ": " + (e.getValue() == null ? "not there yet" : e.getValue()))
                .collect(Collectors.joining(", "));
        ctx.log().info("Found: {}", summary);

        List<String> failed = matching(found, params.failedStates());
        if (!failed.isEmpty()) {
            throw new IllegalStateException("The external " + (taskIds.isEmpty() ? "DAG run" : "task")
                    + " of " + target + " is in a failed state: " + String.join(", ", failed)
                    + " (failed_states=" + params.failedStates() + ")");
        }
        List<String> skipped = matching(found, params.skippedStates());
        if (!skipped.isEmpty()) {
            throw new TaskSkipException("The external " + (taskIds.isEmpty() ? "DAG run" : "task") + " of " + target
                    + " is in a skipped state: " + String.join(", ", skipped)
                    + " (skipped_states=" + params.skippedStates() + ")");
        }
        if (matching(found, params.allowedStates()).size() == found.size()) {
            ctx.log().info("Every one is in allowed_states {}", params.allowedStates());
            return PokeResult.ready();
        }
        return PokeResult.notYet("waiting for " + target + " to be in " + params.allowedStates() + "; found " + summary);
    }

    private static List<String> matching(Map<String, String> found, List<String> states) {
        return found.entrySet().stream().filter(e -> e.getValue() != null && states.contains(e.getValue()))
                .map(e -> e.getKey() + " is " + e.getValue()).toList();
    }

    /** The logical dates to look at (B3.7–B3.9), without repeats. */
    private static List<Instant> dates(Params params, SensorContext ctx) throws Exception {
        Instant logical = ctx.logicalDate();
        if (params.executionDelta() != null) {
            return List.of(logical.minus(params.executionDelta()));
        }
        if (params.executionDate() != null) {
            return List.of(date(params.executionDate()));
        }
        if (params.executionDateFn() == null) {
            return List.of(logical);
        }
        Callables.Plan plan = dateFn(params.executionDateFn(), ctx.dagClassLoader());
        Object[] arguments = plan.arguments(List.of(logical), Map.of(), ctx);
        Object returned = Callables.invoke(plan.target(), arguments, ctx.dagClassLoader());
        LinkedHashSet<Instant> dates = new LinkedHashSet<>();
        if (returned instanceof Collection<?> c) {
            for (Object o : c) {
                dates.add(instant(o, plan.target()));
            }
        } else if (returned instanceof Object[] array) {
            for (Object o : array) {
                dates.add(instant(o, plan.target()));
            }
        } else {
            dates.add(instant(returned, plan.target()));
        }
        if (dates.isEmpty()) {
            throw new IllegalStateException("execution_date_fn " + plan.target().signature()
                    + " returned no date for logical date " + iso(logical));
        }
        return List.copyOf(dates);
    }

    /** The rendered {@code execution_date}: an ISO-8601 date (midnight UTC) or date-time. */
    private static Instant date(String rendered) {
        try {
            return IsoDates.parse(rendered);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidParamsException("execution_date", "'" + rendered + "' is not an ISO-8601 date (2026-11-21)"
                    + " or date-time (2026-11-21T16:00:00+00:00)");
        }
    }

    private static Instant instant(Object o, Callables.Target fn) {
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (o instanceof ZonedDateTime zdt) {
            return zdt.toInstant();
        }
        if (o instanceof String s) {
            return IsoDates.parse(s);
        }
        throw new IllegalStateException("execution_date_fn " + fn.signature() + " returned "
                + (o == null ? "null" : "a " + o.getClass().getSimpleName()) + "; return Instants");
    }

    private static String howDatesWereFound(Params params, SensorContext ctx) {
        if (params.executionDelta() != null) {
            return "logical date " + iso(ctx.logicalDate()) + " minus execution_delta=" + params.executionDelta();
        }
        if (params.executionDateFn() != null) {
            return "from execution_date_fn " + params.executionDateFn() + " for logical date " + iso(ctx.logicalDate());
        }
        if (params.executionDate() != null) {
            return "execution_date rendered to '" + params.executionDate() + "' for logical date "
                    + iso(ctx.logicalDate());
        }
        return "the same logical date";
    }

    /**
     * When the watched DAG is scheduled and a date looked for is none of its logical dates (and no run exists at it,
     * e.g. a manual one), its schedule never makes a run there: the message saying so, naming the nearest logical
     * dates and the {@code execution_delta} that would reach them.
     */
    private static Optional<String> neverMatching(Params params, SensorContext ctx, Optional<DagInfo> dag,
                                                  List<Instant> dates) {
        if (dag.isEmpty() || dag.get().schedule() == null) {
            return Optional.empty();
        }
        String dagId = params.externalDagId();
        Instant logical = ctx.logicalDate();
        for (Instant d : dates) {
            if (ctx.dagRuns().runAt(dagId, d).isPresent()) {
                continue;
            }
            List<Instant> near = ctx.dagRuns().scheduledLogicalDatesNear(dagId, d, 2);
            if (near.isEmpty() || near.contains(d)) {
                continue;
            }
            List<Instant> sorted = near.stream().sorted().toList();
            Instant suggestion = sorted.stream().filter(n -> !n.isAfter(logical)).max(Comparator.naturalOrder())
                    .orElseGet(() -> sorted.stream().min(Comparator.comparing(n -> Duration.between(n, d).abs())).get());
            String listed = sorted.stream().map(n -> iso(n) + " (execution_delta=" + Duration.between(n, logical) + ")")
                    .collect(Collectors.joining(", "));
            return Optional.of("DAG '" + dagId + "' has no run at " + iso(d) + " and its schedule '"
                    + dag.get().schedule() + "' never makes one there, so this sensor would wait until it times out. "
                    + "It looked there because of " + howDatesWereFound(params, ctx) + ". Nearest logical dates of '"
                    + dagId + "': " + listed + ". To wait for the run at " + iso(suggestion) + ", set execution_delta="
                    + Duration.between(suggestion, logical) + ".");
        }
        return Optional.empty();
    }

    private static String iso(Instant i) {
        return i.toString();
    }

    private static List<String> iso(List<Instant> dates) {
        return dates.stream().map(Instant::toString).toList();
    }
}
