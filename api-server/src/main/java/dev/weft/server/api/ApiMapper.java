package dev.weft.server.api;

import dev.weft.api.model.ClassReference;
import dev.weft.api.model.Dag;
import dev.weft.api.model.DagDetail;
import dev.weft.api.model.DagRun;
import dev.weft.api.model.Pool;
import dev.weft.api.model.ScheduleInterval;
import dev.weft.api.model.Tag;
import dev.weft.api.model.Task;
import dev.weft.api.model.TaskInstance;
import dev.weft.api.model.TaskInstanceReference;
import dev.weft.api.model.TimeDelta;
import dev.weft.api.model.User;
import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.plugin.PluginRegistry;
import dev.weft.engine.plugin.TaskType;
import dev.weft.engine.store.DagRecord;
import dev.weft.engine.store.PoolStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.TaskInstanceRecord;
import dev.weft.engine.store.UserStore;
import dev.weft.spi.IsoDates;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.Schedules;
import dev.weft.spi.dag.TaskSpec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Engine records to API records, with Airflow's constants where Weft has no such concept. */
public final class ApiMapper {
    /** Every DAG's owner: Weft DAGs have none, and Airflow lists its default owner then. */
    public static final String OWNER = "airflow";
    private static final String UNIX_NAME = System.getProperty("user.name", "weft");

    private ApiMapper() {
    }

    public static String date(Instant instant) {
        return instant == null ? null : IsoDates.isoformat(instant);
    }

    public static TimeDelta timeDelta(Duration d) {
        if (d == null) {
            return null;
        }
        long seconds = d.getSeconds();
        return new TimeDelta(Math.floorDiv(seconds, 86_400), Math.floorMod(seconds, 86_400), d.getNano() / 1000);
    }

    public static ScheduleInterval schedule(String schedule) {
        if (schedule == null) {
            return null;
        }
        if (Schedules.isInterval(schedule)) {
            return timeDelta(Schedules.interval(schedule));
        }
        return new ScheduleInterval.CronExpression(schedule);
    }

    public static Dag dag(DagRecord record, CompiledDag compiled) {
        DagSpec spec = record.spec();
        String fileloc = record.fileloc() == null ? "" : record.fileloc();
        String description;
        try {
            description = compiled.timetable().description();
        } catch (RuntimeException e) {
            description = null;
        }
        return new Dag(record.dagId(), record.dagId(), null, record.paused(), record.active(), false,
                date(record.lastParsedTime()), null, null, null, null, "grid", fileloc,
                Base64.getUrlEncoder().withoutPadding().encodeToString(fileloc.getBytes(StandardCharsets.UTF_8)),
                List.of(OWNER), spec.description(), schedule(spec.schedule()), description,
                spec.tags().stream().map(Tag::new).toList(), spec.maxActiveTasks(), spec.maxActiveRuns(), false,
                false, date(record.nextDagrun()), date(record.nextDagrunDataIntervalStart()),
                date(record.nextDagrunDataIntervalEnd()), date(record.nextDagrunCreateAfter()), 0);
    }

    public static DagDetail details(DagRecord record, CompiledDag compiled) {
        DagSpec spec = record.spec();
        Map<String, Object> params = new LinkedHashMap<>();
        spec.params().forEach((k, v) -> {
            Map<String, Object> param = new LinkedHashMap<>();
            param.put("value", v);
            param.put("description", null);
            param.put("schema", Map.of());
            params.put(k, param);
        });
        return new DagDetail(dag(record, compiled), spec.timezone(), spec.catchup(), "LR", spec.maxActiveTasks(),
                date(spec.startDate()), timeDelta(spec.dagrunTimeout()), null, null, params, date(spec.endDate()),
                spec.pausedOnCreation(), date(record.lastParsedTime()), null, false);
    }

    public static Task task(CompiledDag dag, TaskSpec task, PluginRegistry plugins) {
        String plugin = plugins.type(task.type()).map(TaskType::pluginName).orElse(null);
        return new Task(new ClassReference(plugin, task.type()), task.taskId(), task.taskId(), OWNER,
                date(dag.spec().startDate()), date(dag.spec().endDate()), task.triggerRule().wireName(), List.of(),
                false, false, false, task.retries(), "default", null, task.pool(), task.poolSlots(),
                timeDelta(task.executionTimeout()), timeDelta(task.retryDelay()), task.retryExponentialBackoff(),
                task.priorityWeight(), "downstream", "#fff", "#000", List.copyOf(task.params().keySet()),
                dag.downstream(task.taskId()).stream().sorted().toList(), null);
    }

    public static DagRun run(RunRecord run) {
        String logical = date(run.logicalDate());
        return new DagRun(run.runId(), run.dagId(), logical, logical, date(run.startDate()), date(run.endDate()),
                date(run.dataIntervalStart()), date(run.dataIntervalEnd()), date(run.lastSchedulingDecision()),
                run.runType().wireName(), run.state().wireName(), run.externalTrigger(),
                run.conf() == null ? Map.of() : run.conf(), run.note());
    }

    public static String state(TaskState state) {
        return state == null || state == TaskState.NONE ? null : state.wireName();
    }

    public static TaskInstance taskInstance(TaskInstanceRecord ti) {
        return new TaskInstance(ti.taskId(), ti.taskId(), ti.dagId(), ti.runId(), date(ti.logicalDate()),
                date(ti.startDate()), date(ti.endDate()), ti.duration(), state(ti.state()), ti.tryNumber(), -1,
                ti.maxTries(), ti.hostname() == null ? "" : ti.hostname(), UNIX_NAME, ti.pool(), ti.poolSlots(),
                "default", ti.priorityWeight(), ti.operator(), date(ti.queuedAt()), null, null, "{}", null, null,
                Map.of(), null, null, ti.note());
    }

    public static TaskInstanceReference reference(TaskInstanceRecord ti) {
        return new TaskInstanceReference(ti.taskId(), ti.dagId(), date(ti.logicalDate()), ti.runId());
    }

    public static Pool pool(PoolStore.Pool pool, PoolStore.PoolUsage usage) {
        int occupied = usage == null ? 0 : usage.occupied();
        return new Pool(pool.name(), pool.slots(), occupied, usage == null ? 0 : usage.running(),
                usage == null ? 0 : usage.queued(), usage == null ? pool.slots() : usage.open(),
                usage == null ? 0 : usage.scheduled(),
                0, pool.description(), pool.includeDeferred());
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    public static User user(UserStore.User user) {
        return new User(nonNull(user.firstName()), nonNull(user.lastName()), user.username(), nonNull(user.email()), user.active(), null, null,
                user.failedLogins(), List.of(new User.RoleRef(user.role())), date(user.createdAt()),
                date(user.changedAt()));
    }
}
