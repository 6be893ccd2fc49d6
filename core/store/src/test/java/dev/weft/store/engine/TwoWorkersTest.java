package dev.weft.store.engine;

import dev.weft.engine.executor.Worker;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.RunRecord;
import dev.weft.spi.RunState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.OperatorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Two workers claiming from one database never run the same try twice (FOR UPDATE SKIP LOCKED claims). */
class TwoWorkersTest {
    private EngineHarness engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void tenThousandTasksRunExactlyOnceEach() throws Exception {
        engine = new EngineHarness(Instant.parse("2026-11-24T10:00:00Z"), 2_000, 1, false);
        DagBuilder b = Dag.builder("wide");
        for (int i = 0; i < 10_000; i++) {
            b.task("t" + i, OperatorRef.of("test.noop", Map.of()));
        }
        engine.register(b.build());
        engine.db.pools().upsert(new dev.weft.engine.store.PoolStore.Pool("default_pool", 10_000, "", false));
        RunRecord run = engine.runs.trigger(new RunService.Trigger("wide", null, null, null, Map.of(), null, null));

        AtomicBoolean done = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        List<Worker> workers = List.of(
                engine.worker("a", 500, new EngineHarness.InlineExecutor()),
                engine.worker("b", 500, new EngineHarness.InlineExecutor()));
        for (Worker w : workers) {
            w.register();
            threads.add(Thread.ofPlatform().daemon(true).start(() -> {
                while (!done.get()) {
                    if (!w.runOnce()) {
                        Thread.onSpinWait();
                    }
                }
                w.runOnce();
            }));
        }
        long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        try {
            while (engine.db.runs().find(run.id()).orElseThrow().state() != RunState.SUCCESS
                    && System.nanoTime() < until) {
                engine.scheduler.runOnce();
            }
        } finally {
            done.set(true);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(engine.db.runs().find(run.id()).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
        Map<String, Object> counts = engine.db.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) AS tries, count(DISTINCT ti_id) AS tis, count(DISTINCT worker_id) AS workers,
                       max(try_number) AS max_try
                FROM task_try""").mapToMap().one());
        assertThat(((Number) counts.get("tries")).longValue()).isEqualTo(10_000L);
        assertThat(((Number) counts.get("tis")).longValue()).isEqualTo(10_000L);
        assertThat(((Number) counts.get("max_try")).intValue()).isEqualTo(1);
        assertThat(((Number) counts.get("workers")).longValue()).isEqualTo(2L);
    }
}
