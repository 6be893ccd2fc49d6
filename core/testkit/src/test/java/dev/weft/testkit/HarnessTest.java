package dev.weft.testkit;

import dev.weft.spi.DefinitionContext;
import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.OperatorFactory;
import dev.weft.spi.OperatorResult;
import dev.weft.spi.Operator;
import dev.weft.spi.PluginContext;
import dev.weft.spi.PokeResult;
import dev.weft.spi.RunType;
import dev.weft.spi.Sensor;
import dev.weft.spi.SensorFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HarnessTest {
    public record GreetParams(String name, Duration pause) {
        public GreetParams {
            if (name == null) {
                throw new InvalidParamsException("name", "is required");
            }
        }
    }

    static final class GreetFactory implements OperatorFactory<GreetParams> {
        DefinitionContext validatedWith;
        PluginContext createdWith;

        @Override public String typeId() { return "test.greet"; }
        @Override public Class<GreetParams> paramsType() { return GreetParams.class; }

        @Override
        public void validate(GreetParams params, DefinitionContext context) {
            validatedWith = context;
            if (params.name().isBlank()) {
                throw new InvalidParamsException("name", "must not be blank");
            }
        }

        @Override
        public Operator<GreetParams> create(PluginContext context) {
            createdWith = context;
            return (p, ctx) -> {
                ctx.log().info("hello {} after {}", p.name(), p.pause());
                return OperatorResult.success(p.name().equals("object") ? new Object() : "hi " + p.name());
            };
        }
    }

    public record CountParams(int target) {
    }

    static final class CountingSensorFactory implements SensorFactory<CountParams> {
        @Override public String typeId() { return "test.count"; }
        @Override public Class<CountParams> paramsType() { return CountParams.class; }

        @Override
        public Sensor<CountParams> create(PluginContext context) {
            return (p, ctx) -> {
                int seen = Integer.parseInt(ctx.memo().getOrDefault("seen", "0")) + 1;
                ctx.memo().put("seen", String.valueOf(seen));
                return seen >= p.target() ? PokeResult.ready(ctx.pokeNumber()) : PokeResult.notYet("seen " + seen);
            };
        }
    }

    @Test
    void bindsValidatesCreatesAndExecutes() throws Exception {
        TestTaskContext ctx = TestTaskContext.builder().dagId("d").taskId("t").build();
        GreetFactory factory = new GreetFactory();
        OperatorResult result = OperatorHarness.execute(factory, Map.of("name", "weft", "pause", "PT1M"), ctx);
        assertThat(result).isEqualTo(OperatorResult.success("hi weft"));
        assertThat(ctx.logLines()).containsExactly("INFO hello weft after PT1M");
        assertThat(factory.validatedWith.dagId()).isEqualTo("d");
        assertThat(factory.validatedWith.taskId()).isEqualTo("t");
        assertThat(factory.validatedWith.dagClassLoader()).isSameAs(ctx.dagClassLoader());
        assertThat(factory.createdWith.clock()).isSameAs(ctx.clock());
        assertThat(Files.isDirectory(factory.createdWith.workDirectory())).isTrue();
    }

    @Test
    void reportsBindingAndValidationErrorsLikeADagLoad() {
        TestTaskContext ctx = TestTaskContext.create();
        assertThatThrownBy(() -> OperatorHarness.of(new GreetFactory(), Map.of(), ctx))
                .isInstanceOf(InvalidParamsException.class).hasMessage("name: is required");
        assertThatThrownBy(() -> OperatorHarness.of(new GreetFactory(), Map.of("name", " "), ctx))
                .isInstanceOf(InvalidParamsException.class).hasMessage("name: must not be blank");
        assertThatThrownBy(() -> OperatorHarness.of(new GreetFactory(), Map.of("name", "x", "nam", 1), ctx))
                .isInstanceOf(InvalidParamsException.class).hasMessageStartingWith("nam: unknown param");
    }

    @Test
    void rejectsAnOutputTheEngineCouldNotStore() {
        assertThatThrownBy(() -> OperatorHarness.execute(new GreetFactory(), Map.of("name", "object"), TestTaskContext.create()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("output cannot be stored");
    }

    @Test
    void laterPokesAdvanceThePokeNumberAndKeepTheMemo() throws Exception {
        TestTaskContext ctx = TestTaskContext.create();
        Instant first = ctx.firstPokeAt();
        SensorHarness<CountParams> sensor = SensorHarness.of(new CountingSensorFactory(), Map.of("target", 3), ctx);
        assertThat(sensor.poke()).isEqualTo(PokeResult.notYet("seen 1"));
        ctx.manualClock().advance(Duration.ofMinutes(1));
        assertThat(sensor.poke()).isEqualTo(PokeResult.notYet("seen 2"));
        assertThat(sensor.poke()).isEqualTo(PokeResult.ready(3));
        assertThat(ctx.memo()).containsEntry("seen", "3");
        assertThat(ctx.firstPokeAt()).isEqualTo(first);
        assertThat(sensor.pokes()).isEqualTo(3);
    }

    @Test
    void contextDefaultsDescribeAScheduledRun() {
        TestTaskContext ctx = TestTaskContext.create();
        assertThat(ctx.taskKey().runId()).isEqualTo("scheduled__2026-01-01T00:00:00+00:00");
        assertThat(ctx.runType()).isEqualTo(RunType.SCHEDULED);
        assertThat(ctx.dataInterval().end()).isEqualTo(Instant.parse("2026-01-02T00:00:00Z"));
        assertThat(ctx.clock().instant()).isEqualTo(Instant.parse("2026-01-02T00:00:00Z"));
        assertThat(ctx.pokeNumber()).isEqualTo(1);
        assertThat(ctx.cancellation().isCancelled()).isFalse();
        ctx.cancel("timed out");
        assertThat(ctx.cancellation().isCancelled()).isTrue();
        assertThat(ctx.cancellation().reason()).isEqualTo("timed out");
        ctx.inMemoryDagRuns().registerDag("x", null);
        assertThat(ctx.dagRuns().dag("x")).isPresent();
    }

    @Test
    void logCapturesLevelsAndStackTraces() {
        TestTaskContext ctx = TestTaskContext.builder().logLevel(org.slf4j.event.Level.INFO).build();
        ctx.log().debug("hidden");
        ctx.log().warn("two\nlines");
        ctx.log().error("boom", new IllegalStateException("bad"));
        assertThat(ctx.logLines()).startsWith("WARN two", "WARN lines", "ERROR boom",
                "java.lang.IllegalStateException: bad");
    }
}
