package com.example.weft;

import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.OperatorResult;
import dev.weft.spi.Plugin;
import dev.weft.spi.PokeResult;
import dev.weft.spi.TaskTypeFactory;
import dev.weft.testkit.OperatorHarness;
import dev.weft.testkit.SensorHarness;
import dev.weft.testkit.TestTaskContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tests with the testkit: params bound as the engine binds them, a context with a manual clock and a log. */
class TemplatePluginTest {
    private final TestTaskContext ctx = TestTaskContext.create();

    @Test
    void isFoundThroughServiceLoaderAsWeftFindsIt() {
        List<Plugin> plugins = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get).toList();
        assertThat(plugins).singleElement().isInstanceOf(TemplatePlugin.class);
        Plugin plugin = plugins.get(0);
        assertThat(Stream.concat(plugin.operators().stream(), plugin.sensors().stream()).map(TaskTypeFactory::typeId))
                .containsExactly("template.greet", "template.wait_until");
    }

    @Test
    void greetLogsAndReturnsTheGreeting() throws Exception {
        OperatorResult result = OperatorHarness.execute(new GreetOperatorFactory(), Map.of("name", "Weft"), ctx);

        assertThat(result).isEqualTo(OperatorResult.success("Hello, Weft!"));
        assertThat(ctx.logLines()).containsExactly("INFO Hello, Weft!");
    }

    @Test
    void greetNeedsAName() {
        assertThatThrownBy(() -> OperatorHarness.execute(new GreetOperatorFactory(), Map.of("greeting", "Hi"), ctx))
                .isInstanceOf(InvalidParamsException.class).hasMessage("name: is required: who to greet");
    }

    @Test
    void waitUntilIsReadyWhenTheClockGetsThere() throws Exception {
        // The context's manual clock starts at the end of the run's data interval: 2026-01-02T00:00:00Z.
        var sensor = SensorHarness.of(new WaitUntilSensorFactory(), Map.of("target_time", "2026-01-02T06:00:00Z"), ctx);

        assertThat(sensor.poke()).isEqualTo(PokeResult.notYet(Duration.ofHours(6),
                "waiting until 2026-01-02T06:00:00+00:00"));
        ctx.manualClock().advance(Duration.ofHours(6));
        assertThat(sensor.poke()).isEqualTo(PokeResult.ready());
    }
}
