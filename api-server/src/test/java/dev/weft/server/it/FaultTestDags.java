package dev.weft.server.it;

import dev.weft.spi.DagProvider;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.OperatorRef;
import dev.weft.spi.dag.TriggerRule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DAGs for the fault-injection suite, only when {@code WEFT_FAULT_TEST_DIR} is set; every one runs once
 * ({@code @once}) and is unpaused at creation (the suite pauses the examples).
 * <ul>
 *   <li>{@code WEFT_FAULT_TEST_LOAD=RxN}: R DAGs {@code fault_load_1..R} of N independent shell tasks. Each appends
 *   {@code dag_id run_id task_id try_number start_us end_us} to {@code executions.txt} in that folder when its body has run,
 *   so the suite counts how often each try was executed and whether two tries of a task overlapped.</li>
 *   <li>{@code WEFT_FAULT_TEST_EDGE=error|stubborn|chatty}: {@code fault_edge}, a task whose code misbehaves (throws
 *   an {@link OutOfMemoryError} without using memory; ignores interruption past its execution timeout; writes 100 MB
 *   of log), a neighbour on the same worker, and {@code all_done} after both, which shows the run goes on.</li>
 *   <li>{@code WEFT_FAULT_TEST_ORPHAN} (any value): {@code fault_orphan}, one shell task with a retry. Its first try
 *   writes its pid to {@code sleeper_1} and becomes a {@code sleep 300}; its retry fails, writing {@code overlap},
 *   if that sleep still runs.</li>
 * </ul>
 */
public final class FaultTestDags implements DagProvider {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    /** The body of a load task: a short sleep between two timestamps (bash's, in µs), then one appended line. */
    static final String LOAD_COMMAND = "s=${EPOCHREALTIME/./}; sleep 0.1; echo \"$AIRFLOW_CTX_DAG_ID "
            + "$AIRFLOW_CTX_DAG_RUN_ID $AIRFLOW_CTX_TASK_ID $AIRFLOW_CTX_TRY_NUMBER $s ${EPOCHREALTIME/./}\" "
            + ">> \"$WEFT_FAULT_TEST_DIR/executions.txt\"";

    @Override
    public List<DagSpec> dags() {
        if (System.getenv("WEFT_FAULT_TEST_DIR") == null) {
            return List.of();
        }
        List<DagSpec> dags = new ArrayList<>();
        String load = System.getenv("WEFT_FAULT_TEST_LOAD");
        if (load != null) {
            String[] rxn = load.split("x");
            int tasks = Integer.parseInt(rxn[1]);
            for (int r = 1; r <= Integer.parseInt(rxn[0]); r++) {
                DagBuilder b = once("fault_load_" + r).maxActiveTasks(tasks);
                for (int t = 0; t < tasks; t++) {
                    b.task("t" + t, OperatorRef.of("standard.shell", Map.of("command", LOAD_COMMAND)))
                            .retries(3).retryDelay(Duration.ZERO);
                }
                dags.add(b.build());
            }
        }
        String edge = System.getenv("WEFT_FAULT_TEST_EDGE");
        if (edge != null) {
            DagBuilder b = once("fault_edge");
            var misbehaving = switch (edge) {
                case "error" -> b.task("throws_error", OperatorRef.of("standard.callable", Map.of(
                        "callable", "java.nio.ByteBuffer::allocate", "op_args", List.of(Integer.MAX_VALUE))))
                        .retries(1).retryDelay(Duration.ZERO);
                case "stubborn" -> b.task("ignores_interruption", OperatorRef.of("standard.callable", Map.of(
                        "callable", FaultTestDags.class.getName() + "::ignoreInterruption", "op_args", List.of(120_000))))
                        .executionTimeout(Duration.ofSeconds(1));
                case "chatty" -> b.task("writes_100mb_log", OperatorRef.of("standard.shell", Map.of("command",
                        "yes 'a line of log that is ninety-nine characters long, written over and over by a chatty"
                                + " task.' | head -c 100000000; echo; echo done")));
                default -> throw new IllegalArgumentException("WEFT_FAULT_TEST_EDGE " + edge);
            };
            // A neighbour on the same worker, and a task after both: the fault stays with the task that caused it.
            var neighbour = b.task("neighbour", OperatorRef.of("standard.shell", Map.of("command", "sleep 3")));
            b.task("all_done", OperatorRef.of("standard.empty", Map.of())).triggerRule(TriggerRule.ALL_DONE)
                    .after(misbehaving, neighbour);
            dags.add(b.build());
        }
        if (System.getenv("WEFT_FAULT_TEST_ORPHAN") != null) {
            DagBuilder b = once("fault_orphan");
            b.task("sleeps_long", OperatorRef.of("standard.shell", Map.of("command", ORPHAN_COMMAND)))
                    .retries(1).retryDelay(Duration.ZERO);
            dags.add(b.build());
        }
        return dags;
    }

    private static DagBuilder once(String dagId) {
        return Dag.builder(dagId).schedule("@once").startDate(START).pausedOnCreation(false).maxActiveRuns(1);
    }

    /** The first try sleeps for good (a worker killed under it must take it along); the retry checks it did. */
    static final String ORPHAN_COMMAND = """
            echo $$ > "$WEFT_FAULT_TEST_DIR/sleeper_$AIRFLOW_CTX_TRY_NUMBER"
            if [ "$AIRFLOW_CTX_TRY_NUMBER" = 1 ]; then exec sleep 300; fi
            if kill -0 "$(cat "$WEFT_FAULT_TEST_DIR/sleeper_1")" 2>/dev/null; then
              echo "the first try's sleep still runs" > "$WEFT_FAULT_TEST_DIR/overlap"; exit 1
            fi
            """;

    /** Task code that swallows every interrupt and runs until {@code millis} have passed. */
    public static String ignoreInterruption(int millis) {
        long until = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < until) {
            try {
                Thread.sleep(Math.max(1, (until - System.nanoTime()) / 1_000_000L));
            } catch (InterruptedException ignored) {
                // deliberately ignored: the engine must not depend on task code honouring interruption
            }
        }
        return "finished after " + millis + " ms";
    }
}
