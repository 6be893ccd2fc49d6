package dev.weft.bench;

import dev.weft.spi.dag.SensorMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * File arrival: {@code standard.file_sensor} tasks with {@code poke_interval} 60 s wait for their files; the bench
 * creates the files one at a time and measures file created → sensor succeeded ({@code end_date}, when its poke
 * returned ready). Without the engine's file watcher the median would be about half the poke interval (30 s).
 */
final class FileArrivalScenario implements Scenario {
    static final long TARGET_MICROS = 1_000_000;
    private static final int FILES = 10;

    @Override
    public String name() {
        return "file-arrival";
    }

    @Override
    public String description() {
        return "file sensors with poke_interval 60 s (reschedule and poke mode): file created -> sensor success";
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        BenchContext.progress("file-arrival: " + FILES + " files per mode ...");
        Path reschedule = Files.createTempDirectory("weft-bench-arrival");
        Path poke = Files.createTempDirectory("weft-bench-arrival");
        try (BenchDatabase db = context.freshDatabase(); BenchEngine engine = new BenchEngine(db,
                context.parallelism(32), context.slots(32))) {
            // The reschedule-mode sensors wait in a directory that does not exist yet (created with the first file).
            engine.register(BenchEngine.fileSensors("bench_arrival_reschedule", FILES, reschedule.resolve("incoming"),
                    SensorMode.RESCHEDULE, Duration.ofSeconds(60)));
            engine.register(BenchEngine.fileSensors("bench_arrival_poke", FILES, poke, SensorMode.POKE,
                    Duration.ofSeconds(60)));
            engine.start();
            Instant logical = Instant.now().minusSeconds(60);
            engine.trigger("bench_arrival_reschedule", "bench", logical);
            engine.trigger("bench_arrival_poke", "bench", logical);
            engine.awaitState("bench_arrival_reschedule", "up_for_reschedule", FILES, Duration.ofMinutes(1));
            engine.awaitState("bench_arrival_poke", "running", FILES, Duration.ofMinutes(1));
            Thread.sleep(1_000); // the poke-mode sensors' first pokes
            List<Long> r = arrivals(engine, "bench_arrival_reschedule", reschedule.resolve("incoming"));
            List<Long> p = arrivals(engine, "bench_arrival_poke", poke);
            long p50 = Stats.percentile(r, 50);
            return List.of(
                    Row.of("file arrival: reschedule mode, poke_interval 60 s",
                            "p50 " + Stats.ms(p50) + ", max " + Stats.ms(r.getLast()),
                            "≤ " + Stats.ms(TARGET_MICROS), r.getLast() <= TARGET_MICROS,
                            String.format(Locale.ROOT, "%d files created one at a time → sensor end_date; the "
                                    + "engine's file watcher made the waiting try due (next_attempt_at = now), the "
                                    + "scheduler queued it, a worker poked; without it, p50 would be ≈ 30 s", FILES)),
                    Row.info("file arrival: poke mode, poke_interval 60 s",
                            "p50 " + Stats.ms(Stats.percentile(p, 50)) + ", max " + Stats.ms(p.getLast()),
                            String.format(Locale.ROOT, "%d files; the watcher tells the worker to poke the "
                                    + "waiting try now (it holds its slot, no scheduler pass involved)", FILES)));
        } finally {
            BenchPostgres.deleteQuietly(reschedule);
            BenchPostgres.deleteQuietly(poke);
        }
    }

    /** Creates each sensor's file in turn and returns, sorted, µs from its creation to the sensor's end. */
    private static List<Long> arrivals(BenchEngine engine, String dagId, Path dir) throws Exception {
        List<Long> latencies = new ArrayList<>();
        Files.createDirectories(dir);
        for (int i = 0; i < FILES; i++) {
            String taskId = BenchEngine.taskId(i);
            Instant created = Instant.now();
            Files.writeString(dir.resolve(taskId + ".csv"), "id,amount\n1,2\n");
            engine.awaitState(dagId, "success", i + 1, Duration.ofMinutes(2));
            BenchEngine.TaskTimes t = engine.taskTimes(dagId).stream().filter(x -> x.taskId().equals(taskId))
                    .findFirst().orElseThrow();
            latencies.add(BenchEngine.micros(created, t.end()));
        }
        latencies.sort(null);
        return latencies;
    }
}
