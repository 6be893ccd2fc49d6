package dev.weft.examples;

import dev.weft.plugins.standard.Standard;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.SensorBuilder;
import dev.weft.spi.dag.SensorMode;
import dev.weft.spi.dag.SensorRef;
import dev.weft.spi.dag.TaskBuilder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The user's scenarios from chapter 6 ("triggering workflows") of the Airflow book, as Weft DAGs. DAG ids, task ids
 * and dependencies are the ones in the user's notes. {@link ExampleDagProvider} registers them with the data root
 * of the environment; tests build them with a temporary one.
 */
public final class SupermarketDags {
    public static final List<Integer> SUPERMARKETS = List.of(1, 2, 3, 4);

    /** How often a sensor checks: once a minute, as in the notes (and Airflow's default). */
    public static final Duration POKE_INTERVAL = Duration.ofMinutes(1);
    /**
     * How long a sensor waits before it fails. Airflow's default is 7 days, so with a daily schedule the waiting
     * sensors of up to 7 days pile up (the notes' 6.1.2). The data arrives between 16:00 and 02:00, so a run that has
     * no data after 10 hours will not get it: fail and let someone look.
     */
    public static final Duration SENSOR_TIMEOUT = Duration.ofHours(10);

    /**
     * The promotion rule as a bash command ({@code standard.shell_sensor}), for DAG files that cannot call Java: at
     * least one {@code data-*.csv} and {@code _SUCCESS} in {@code $DIR}. {@code compgen -G} lists the matches and
     * exits 1 when there is none, so {@code _SUCCESS} alone is "not yet".
     */
    public static final String PROMOTION_RULE = "compgen -G \"$DIR/data-*.csv\" && test -f \"$DIR/_SUCCESS\"";
    /** The poke-mode twin of listing 6.3 holds at most this many tasks at once, so its sensors fill every slot. */
    public static final int POKE_TWIN_MAX_ACTIVE_TASKS = 4;

    public static final String LISTING_6_04_DAG02 = "listing_6_04_dag02";
    public static final String FIGURE_6_20_DAG_1 = "figure_6_20_dag_1";
    public static final String EXECUTION_DATE_FN_DAG_1 = "execution_date_fn_dag_1";

    private SupermarketDags() {
    }

    /** Every example DAG, with the supermarkets' folders under {@code dataRoot}. */
    public static List<DagSpec> all(Path dataRoot) {
        return List.of(
                listing601(dataRoot),
                listing602(dataRoot),
                listing603(dataRoot),
                listing603Poke(dataRoot),
                listing604Dag01(dataRoot),
                listing604Dag02(),
                figure620Dag1(),
                figure620Dag2(Duration.ofHours(2)),
                executionDateFnDag1(),
                executionDateFnDag2(),
                listing608());
    }

    /**
     * Listing 6.1: wait for {@code <data root>/supermarket1/data-*.csv} with a file sensor, then copy, process and
     * compute the metrics. Daily from three days ago. The chapter's listing names one {@code data.csv}; the
     * supermarkets upload {@code data-*.csv} files (what {@code weft examples supermarket-data} writes), and the file
     * sensor takes a glob.
     */
    public static DagSpec listing601(Path dataRoot) {
        DagBuilder dag = Dag.builder("listing_6_01").schedule("@daily").startDate(Dag.daysAgo(3))
                .description("Listing 6.1: a file sensor waits for supermarket 1's data-*.csv")
                .tags("chapter6", "supermarket", "file_sensor");
        SensorBuilder wait = waiting(dag.sensor("wait_for_supermarket_1",
                Standard.fileSensor(dataRoot.resolve("supermarket1").resolve(Supermarkets.DATA_FILES).toString())));
        TaskBuilder copy = dag.task("copy_to_raw_supermarket_1", Standard.empty());
        TaskBuilder process = dag.task("process_supermarket_1", Standard.empty());
        TaskBuilder createMetrics = dag.task("create_metrics", Standard.empty());
        Dag.chain(wait, copy, process, createMetrics);
        return dag.build();
    }

    /**
     * Listing 6.2: per supermarket 1..4 a callable sensor with the promotion rule
     * ({@link Supermarkets#dataArrived}), then copy and process; {@code create_metrics} waits for all four.
     */
    public static DagSpec listing602(Path dataRoot) {
        DagBuilder dag = Dag.builder("listing_6_02").schedule("@daily").startDate(Dag.daysAgo(3))
                .description("Listing 6.2: a sensor per supermarket checks for data-*.csv and _SUCCESS")
                .tags("chapter6", "supermarket", "promotion_rule");
        supermarketsToMetrics(dag, id -> waiting(dag.sensor("wait_for_supermarket_" + id,
                Standard.callableSensor(Supermarkets.class, "dataArrived")
                        .kwargs("supermarket_id_", "supermarket" + id)
                        .kwargs("data_root", dataRoot.toString()))));
        return dag.build();
    }

    /**
     * Listing 6.3: listing 6.2 with {@code concurrency=50}, Airflow 2's {@code max_active_tasks}: at most 50 task
     * instances of this DAG run at once, over all its runs. Its sensors hold the rule as a shell command (the same
     * in its DAG file) and wait in reschedule mode: the cure for the deadlock of {@link #listing603Poke}.
     */
    public static DagSpec listing603(Path dataRoot) {
        DagBuilder dag = Dag.builder("listing_6_03").schedule("@daily").startDate(Dag.daysAgo(3))
                .maxActiveTasks(50)
                .description("Listing 6.3: listing 6.2 with at most 50 running tasks (concurrency=50)")
                .tags("chapter6", "supermarket", "promotion_rule");
        supermarketsToMetrics(dag, id -> waitForSupermarket(dag, dataRoot, id));
        return dag.build();
    }

    /**
     * Listing 6.3 as the notes run it, with Airflow's default poke mode, and with room for only
     * {@value #POKE_TWIN_MAX_ACTIVE_TASKS} tasks: three daily runs bring twelve sensors, the first four poke and hold
     * every slot while the others wait, and when supermarkets 2 to 4 deliver nothing the DAG stands still. The
     * server reports it ({@code GET /api/v1/weft/sensorDeadlocks}); {@link #listing603} is the cure. It starts paused:
     * its sensors would hold four worker slots for their whole timeout; unpause it to watch the deadlock.
     */
    public static DagSpec listing603Poke(Path dataRoot) {
        DagBuilder dag = Dag.builder("listing_6_03_poke").schedule("@daily").startDate(Dag.daysAgo(3))
                .maxActiveTasks(POKE_TWIN_MAX_ACTIVE_TASKS).pausedOnCreation(true)
                .description("Listing 6.3 in poke mode with 4 slots: the sensor deadlock of the notes")
                .tags("chapter6", "supermarket", "promotion_rule", "deadlock");
        supermarketsToMetrics(dag, id -> waitForSupermarket(dag, dataRoot, id).mode(SensorMode.POKE));
        return dag.build();
    }

    private static void supermarketsToMetrics(DagBuilder dag, java.util.function.IntFunction<SensorBuilder> sensor) {
        TaskBuilder createMetrics = dag.task("create_metrics", Standard.empty());
        for (int id : SUPERMARKETS) {
            SensorBuilder wait = sensor.apply(id);
            TaskBuilder copy = dag.task("copy_to_raw_supermarket_" + id, Standard.empty());
            TaskBuilder process = dag.task("process_supermarket_" + id, Standard.empty());
            wait.then(copy).then(process).then(createMetrics);
        }
    }

    /**
     * Listing 6.4, DAG 1: at 16:00 every day, per supermarket: wait for its data, copy, process, then trigger
     * {@code listing_6_04_dag02} with {@code conf = {"supermarket_id": N}}, so the metrics of each supermarket are
     * computed as soon as its data is processed.
     */
    public static DagSpec listing604Dag01(Path dataRoot) {
        DagBuilder dag = Dag.builder("listing_6_04_dag01").schedule("0 16 * * *").startDate(Dag.daysAgo(3))
                .description("Listing 6.4: per supermarket, wait, copy, process and trigger listing_6_04_dag02")
                .tags("chapter6", "supermarket", "trigger_dag_run");
        for (int id : SUPERMARKETS) {
            SensorBuilder wait = waitForSupermarket(dag, dataRoot, id);
            TaskBuilder copy = dag.task("copy_to_raw_supermarket_" + id, Standard.empty());
            TaskBuilder process = dag.task("process_supermarket_" + id, Standard.empty());
            // The triggered run gets an id of its own per supermarket and run of this DAG, and reset_dag_run: so
            // clearing this task (the notes' 6.2.1, "to rerun the other DAG, clear the trigger task") clears and
            // reruns that same run of listing_6_04_dag02 instead of failing because it exists. The id must not
            // start with the parent's run id: "scheduled__…" would make the triggered run a scheduled one.
            TaskBuilder trigger = dag.task("trigger_create_metrics_dag_supermarket_" + id,
                    Standard.triggerDagRun(LISTING_6_04_DAG02)
                            .conf(Map.of("supermarket_id", id))
                            .runId("supermarket_" + id + "__{{ run_id }}")
                            .resetDagRun(true));
            wait.then(copy).then(process).then(trigger); // wait >> copy >> process >> trigger_create_metrics_dag
        }
        return dag.build();
    }

    /**
     * Listing 6.4, DAG 2: no schedule (no {@code schedule(...)} call; Airflow's {@code schedule_interval=None}), it
     * runs when DAG 1 (or a user) triggers it. {@code notify_new_data} does not
     * depend on the other two.
     */
    public static DagSpec listing604Dag02() {
        DagBuilder dag = Dag.builder(LISTING_6_04_DAG02).startDate(Dag.daysAgo(3))
                .description("Listing 6.4: the metrics of one supermarket, triggered by listing_6_04_dag01")
                .tags("chapter6", "supermarket", "triggered");
        TaskBuilder computeDifferences = dag.task("compute_differences", Standard.empty());
        TaskBuilder updateDashboard = dag.task("update_dashboard", Standard.empty());
        dag.task("notify_new_data", Standard.empty());
        computeDifferences.then(updateDashboard);
        return dag.build();
    }

    /** Figure 6.20, DAG 1: at 16:00, copy and process. */
    public static DagSpec figure620Dag1() {
        DagBuilder dag = Dag.builder(FIGURE_6_20_DAG_1).schedule("0 16 * * *").startDate(Dag.daysAgo(3))
                .description("Figure 6.20: the 16:00 DAG whose process_supermarket DAG 2 waits for")
                .tags("chapter6", "external_task_sensor");
        dag.task("copy_to_raw", Standard.empty()).then(dag.task("process_supermarket", Standard.empty()));
        return dag.build();
    }

    /**
     * Figure 6.20, DAG 2: at 18:00, wait for DAG 1's {@code process_supermarket} of the same day, then report.
     *
     * @param executionDelta how far back DAG 1's run is: 2 hours (18:00 − 16:00). The bundle uses 2 h.
     */
    public static DagSpec figure620Dag2(Duration executionDelta) {
        DagBuilder dag = Dag.builder("figure_6_20_dag_2").schedule("0 18 * * *").startDate(Dag.daysAgo(3))
                .description("Figure 6.20: at 18:00, wait for figure_6_20_dag_1's process_supermarket of 16:00")
                .tags("chapter6", "external_task_sensor");
        // The notes say execution_delta=timedelta(hours=6): that looks at 12:00, where DAG 1 (16:00) never has a
        // run, so Airflow's sensor would poke until its timeout. 18:00 - 16:00 = 2 hours. Weft fails such a sensor
        // at its first poke, with a message naming execution_delta=PT2H.
        SensorBuilder wait = waiting(dag.sensor("wait_for_process_supermarket",
                Standard.externalTask(FIGURE_6_20_DAG_1).taskId("process_supermarket").executionDelta(executionDelta)));
        wait.then(dag.task("report", Standard.empty()));
        return dag.build();
    }

    /** The daily DAG the 5-hourly one waits for (notes, end of 6.2.2): copy and process every day at midnight. */
    public static DagSpec executionDateFnDag1() {
        DagBuilder dag = Dag.builder(EXECUTION_DATE_FN_DAG_1).schedule("@daily").startDate(Dag.daysAgo(3))
                .description("The daily DAG that execution_date_fn_dag_2 waits for")
                .tags("chapter6", "external_task_sensor");
        dag.task("copy_to_raw", Standard.empty()).then(dag.task("process_supermarket", Standard.empty()));
        return dag.build();
    }

    /**
     * Every 5 hours, report on the latest complete day of {@code execution_date_fn_dag_1}. The schedules differ, so
     * the sensor maps its logical date to DAG 1's with {@link ExecutionDates#latestCompleteDay}. It starts a day
     * after DAG 1, so that its first runs already have a complete day of DAG 1 to wait for.
     */
    public static DagSpec executionDateFnDag2() {
        DagBuilder dag = Dag.builder("execution_date_fn_dag_2").schedule(ExecutionDates.EVERY_5_HOURS)
                .startDate(Dag.daysAgo(2))
                .description("Every 5 hours: wait for the latest complete day of execution_date_fn_dag_1, then report")
                .tags("chapter6", "external_task_sensor");
        SensorBuilder wait = waiting(dag.sensor("wait_for_process_supermarket",
                Standard.externalTask(EXECUTION_DATE_FN_DAG_1).taskId("process_supermarket")
                        .executionDateFn(ExecutionDates.class, "latestCompleteDay")));
        wait.then(dag.task("report", Standard.empty()));
        return dag.build();
    }

    /**
     * Listing 6.8: no schedule; it runs when triggered with a conf (Airflow:
     * {@code airflow dags trigger -c '{"supermarket_id":1}' listing_6_08}, or {@code POST .../dagRuns} with
     * {@code {"conf": {...}}}). Both tasks write the run's conf to their log. The notes do not show the dependency
     * between the two tasks; copy_to_raw runs before process, as their names say.
     */
    public static DagSpec listing608() {
        DagBuilder dag = Dag.builder("listing_6_08").startDate(Dag.daysAgo(3))
                .description("Listing 6.8: trigger with a conf, e.g. {\"supermarket_id\": 1}; the tasks log it")
                .tags("chapter6", "conf");
        TaskBuilder copyToRaw = dag.task("copy_to_raw", Standard.callable(Supermarkets.class, "printConf"));
        TaskBuilder process = dag.task("process", Standard.callable(Supermarkets.class, "printConf"));
        copyToRaw.then(process);
        return dag.build();
    }

    /** {@code wait_for_supermarket_N}: the promotion rule for {@code <data root>/supermarketN}, as a shell command. */
    private static SensorBuilder waitForSupermarket(DagBuilder dag, Path dataRoot, int id) {
        SensorRef rule = Standard.shellSensor(PROMOTION_RULE)
                .env("DIR", dataRoot.resolve("supermarket" + id).toString()).appendEnv(true);
        return waiting(dag.sensor("wait_for_supermarket_" + id, rule));
    }

    /**
     * The settings of every sensor here. Reschedule mode: between pokes the sensor gives its worker slot and its
     * place under {@code max_active_tasks} back. In poke mode (Airflow's default) a waiting sensor holds them the
     * whole time, and when supermarkets 2-4 deliver nothing, every daily run adds three more holders until no slot
     * is left and nothing else runs: the sensor deadlock of the notes (6.1.2).
     */
    private static SensorBuilder waiting(SensorBuilder sensor) {
        return sensor.mode(SensorMode.RESCHEDULE).pokeInterval(POKE_INTERVAL).timeout(SENSOR_TIMEOUT);
    }
}
