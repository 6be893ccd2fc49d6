package dev.weft.server.it;

import dev.weft.spi.DagProvider;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.OperatorRef;
import dev.weft.spi.dag.SensorMode;
import dev.weft.spi.dag.SensorRef;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * DAGs for the crash test, only when {@code WEFT_CRASH_TEST_DIR} is set: a shell task that is running, a poke-mode
 * sensor and a reschedule-mode sensor waiting for a file in that folder when the server is killed.
 */
public final class CrashTestDags implements DagProvider {
    @Override
    public List<DagSpec> dags() {
        String dir = System.getenv("WEFT_CRASH_TEST_DIR");
        if (dir == null) {
            return List.of();
        }
        DagBuilder b = Dag.builder("crash_test").schedule("@once").startDate(Instant.parse("2026-01-01T00:00:00Z"));
        String flag = dir + "/go.flag";
        b.task("busy", OperatorRef.of("standard.shell", Map.of("command", "echo started; sleep 4; echo finished")))
                .retries(1).retryDelay(Duration.ZERO);
        b.sensor("poking", SensorRef.of("standard.file_sensor", Map.of("filepath", flag)))
                .mode(SensorMode.POKE).pokeInterval(Duration.ofSeconds(1)).retries(1).retryDelay(Duration.ZERO);
        b.sensor("rescheduled", SensorRef.of("standard.file_sensor", Map.of("filepath", flag)))
                .mode(SensorMode.RESCHEDULE).pokeInterval(Duration.ofSeconds(1));
        return List.of(b.build());
    }
}
