package dev.weft.plugins.standard;

import dev.weft.spi.IsoDates;
import dev.weft.spi.DagRuns.DagNotFoundException;
import dev.weft.spi.DagRuns.DagRunExistsException;
import dev.weft.spi.DagRuns.RunInfo;
import dev.weft.spi.DagRuns.TriggerRequest;
import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.PluginContext;
import dev.weft.spi.PokeResult;
import dev.weft.spi.RunState;
import dev.weft.spi.Sensor;
import dev.weft.spi.SensorContext;
import dev.weft.spi.SensorFactory;
import dev.weft.spi.TaskSkipException;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code standard.trigger_dag_run}: triggers a run of another DAG, Airflow's TriggerDagRunOperator. It is a sensor
 * type so that the engine owns the waiting of {@code wait_for_completion}: the first poke triggers and remembers the
 * run in the memo; without {@code wait_for_completion} it is then done, with it later pokes (every
 * {@code poke_interval}) read the run's state. Used through {@code DagBuilder.task(...)} it runs as a sensor with
 * default settings.
 *
 * <p>When done it pushes Airflow's two XComs, {@code trigger_run_id} and {@code trigger_logical_date_iso} (B4.7), and
 * returns no value.
 */
public final class TriggerDagRunFactory implements SensorFactory<TriggerDagRunFactory.Params> {
    public static final String TYPE = "standard.trigger_dag_run";
    static final String MEMO_RUN_ID = "trigger_run_id";
    static final String MEMO_LOGICAL_DATE = "trigger_logical_date_iso";
    static final String MEMO_TRY = "trigger_try_number";
    private static final Set<String> TEMPLATED = Set.of("trigger_dag_id", "trigger_run_id", "logical_date", "conf");

    /**
     * @param triggerDagId          the DAG to trigger (required)
     * @param triggerRunId          the new run's id (default: the engine's {@code manual__<logical date>})
     * @param conf                  the new run's conf (default {@code {}})
     * @param logicalDate           the new run's logical date, ISO-8601 (default: now)
     * @param resetDagRun           when the run already exists, clear it and reuse it (default false)
     * @param waitForCompletion     wait until the run is in {@code allowed_states} or {@code failed_states}
     *                              (default false)
     * @param pokeInterval          how often to check the run while waiting (default 60 s)
     * @param allowedStates         run states that end the wait successfully (default {@code [success]})
     * @param failedStates          run states that fail the task (default {@code [failed]}; {@code []} is kept)
     * @param skipWhenAlreadyExists when the run already exists and is not reset, skip the task (default false)
     */
    public record Params(String triggerDagId, String triggerRunId, Map<String, Object> conf, String logicalDate,
                         boolean resetDagRun, boolean waitForCompletion, Duration pokeInterval,
                         List<String> allowedStates, List<String> failedStates, boolean skipWhenAlreadyExists) {
        public static final Duration DEFAULT_POKE_INTERVAL = Duration.ofSeconds(60);

        public Params {
            if (triggerDagId == null || triggerDagId.isBlank()) {
                throw new InvalidParamsException("trigger_dag_id", "is required: the DAG to trigger");
            }
            if (triggerRunId != null && triggerRunId.isBlank()) {
                triggerRunId = null;
            }
            conf = conf == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(conf));
            if (logicalDate != null && logicalDate.isBlank()) {
                logicalDate = null;
            }
            if (logicalDate != null && !TemplateMarkers.isTemplate(logicalDate)) {
                try {
                    IsoDates.parse(logicalDate);
                } catch (DateTimeParseException e) {
                    throw new InvalidParamsException("logical_date", "'" + logicalDate
                            + "' is not an ISO-8601 date-time such as 2024-01-01T00:00:00+00:00");
                }
            }
            pokeInterval = pokeInterval == null ? DEFAULT_POKE_INTERVAL : pokeInterval;
            if (pokeInterval.isNegative()) {
                throw new InvalidParamsException("poke_interval", "must not be negative, got " + pokeInterval);
            }
            allowedStates = runStates("allowed_states", allowedStates == null ? List.of("success") : allowedStates);
            failedStates = runStates("failed_states", failedStates == null ? List.of("failed") : failedStates);
            for (String s : failedStates) {
                if (allowedStates.contains(s)) {
                    throw new InvalidParamsException("failed_states", "'" + s + "' is also in allowed_states");
                }
            }
        }

        private static List<String> runStates(String field, List<String> states) {
            List<String> out = new ArrayList<>();
            for (String s : states) {
                try {
                    out.add(RunState.fromWire(s).wireName());
                } catch (IllegalArgumentException e) {
                    throw new InvalidParamsException(field, e.getMessage());
                }
            }
            return List.copyOf(out);
        }

        /** The logical date to trigger at, or null for "now" (decided by the engine). */
        public Instant logicalInstant() {
            return logicalDate == null ? null : IsoDates.parse(logicalDate);
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
        return "Triggers a run of another DAG, optionally waiting for it (Airflow's TriggerDagRunOperator)";
    }

    @Override
    public boolean isTemplated(String paramName) {
        return TEMPLATED.contains(paramName);
    }

    @Override
    public Sensor<Params> create(PluginContext pluginContext) {
        return TriggerDagRunFactory::poke;
    }

    private static PokeResult poke(Params params, SensorContext ctx) {
        Map<String, String> memo = ctx.memo();
        String tryNumber = String.valueOf(ctx.taskKey().tryNumber());
        String runId = memo.get(MEMO_RUN_ID);
        if (runId == null || !tryNumber.equals(memo.get(MEMO_TRY))) {
            // A new try triggers again, as Airflow does (and meets the run made by the previous try: B4.9).
            RunInfo run = trigger(params, ctx);
            memo.put(MEMO_RUN_ID, run.runId());
            memo.put(MEMO_LOGICAL_DATE, IsoDates.isoformat(run.logicalDate()));
            memo.put(MEMO_TRY, tryNumber);
            if (!params.waitForCompletion()) {
                return done(memo, ctx);
            }
            ctx.log().info("Waiting for DAG '{}' run '{}' to be in {} (checking every {})", params.triggerDagId(),
                    run.runId(), params.allowedStates(), params.pokeInterval());
            return PokeResult.notYet(params.pokeInterval(), "triggered run '" + run.runId() + "' of DAG '"
                    + params.triggerDagId() + "'; waiting for it to finish");
        }
        if (!params.waitForCompletion()) {
            return done(memo, ctx);
        }
        Optional<RunInfo> run = ctx.dagRuns().run(params.triggerDagId(), runId);
        if (run.isEmpty()) {
            throw new IllegalStateException("The triggered run '" + runId + "' of DAG '" + params.triggerDagId()
                    + "' no longer exists");
        }
        String state = run.get().state().wireName();
        ctx.log().info("Run '{}' of DAG '{}' is {}", runId, params.triggerDagId(), state);
        if (params.failedStates().contains(state)) {
            throw new IllegalStateException(params.triggerDagId() + " failed with failed state " + state
                    + " (run '" + runId + "'; failed_states=" + params.failedStates() + ")");
        }
        if (params.allowedStates().contains(state)) {
            ctx.log().info("{} finished with allowed state {}", params.triggerDagId(), state);
            return done(memo, ctx);
        }
        return PokeResult.notYet(params.pokeInterval(), "run '" + runId + "' of DAG '" + params.triggerDagId()
                + "' is " + state + "; waiting for " + params.allowedStates());
    }

    private static RunInfo trigger(Params params, SensorContext ctx) {
        String dagId = params.triggerDagId();
        Instant logicalDate = params.logicalInstant();
        try {
            RunInfo run = ctx.dagRuns().trigger(new TriggerRequest(dagId, params.triggerRunId(), logicalDate, params.conf()));
            ctx.log().info("Triggered DAG '{}': run '{}' at logical date {} with conf {}", dagId, run.runId(),
                    IsoDates.isoformat(run.logicalDate()), run.conf());
            return run;
        } catch (DagNotFoundException e) {
            throw new IllegalStateException("Cannot trigger DAG '" + dagId + "': no such DAG (check trigger_dag_id)", e);
        } catch (DagRunExistsException e) {
            String existing = e.existingRunId();
            if (params.resetDagRun()) {
                ctx.log().info("Run '{}' of DAG '{}' already exists; clearing it (reset_dag_run)", existing, dagId);
                RunInfo run = ctx.dagRuns().clear(dagId, existing);
                ctx.log().info("Cleared run '{}' of DAG '{}'; its conf is kept: {}", run.runId(), dagId, run.conf());
                return run;
            }
            if (params.skipWhenAlreadyExists()) {
                throw new TaskSkipException("DAG run '" + existing + "' of DAG '" + dagId
                        + "' already exists; skipping (skip_when_already_exists)");
            }
            throw new IllegalStateException("Cannot trigger DAG '" + dagId + "': run '" + existing
                    + "' already exists (" + e.getMessage() + "). Set reset_dag_run: true to clear and rerun it, or skip_when_already_exists:"
                    + " true to skip this task when the run exists" + (params.triggerRunId() == null && params.logicalDate() == null
                    ? "" : ", or trigger with another " + (params.triggerRunId() != null ? "trigger_run_id" : "logical_date"))
                    + ".", e);
        }
    }

    /** Pushed when done, not when triggering: each poke of a reschedule-mode sensor starts without XComs. */
    private static PokeResult done(Map<String, String> memo, SensorContext ctx) {
        ctx.xcomPush(MEMO_RUN_ID, memo.get(MEMO_RUN_ID));
        ctx.xcomPush(MEMO_LOGICAL_DATE, memo.get(MEMO_LOGICAL_DATE));
        return PokeResult.ready();
    }
}
