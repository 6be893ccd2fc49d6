package dev.weft.testkit;

import dev.weft.spi.PluginContext;
import dev.weft.spi.PokeResult;
import dev.weft.spi.Sensor;
import dev.weft.spi.SensorFactory;

import java.util.Map;

/**
 * Pokes a sensor the way the engine does: binds and validates the params ({@link PluginHarness#bind}), creates the
 * sensor with a {@link TestPluginContext} and pokes it. Poke again to follow a wait: each further poke advances
 * {@link TestTaskContext#pokeNumber()} and keeps the memo. The harness never waits: move the context's
 * {@link ManualClock} between pokes yourself.
 *
 * <pre>{@code
 * var sensor = SensorHarness.of(new FileSensorFactory(), Map.of("filepath", dir + "/data-*.csv"), ctx);
 * assertThat(sensor.poke()).isInstanceOf(PokeResult.NotYet.class);
 * Files.createFile(dir.resolve("data-1.csv"));
 * assertThat(sensor.poke()).isInstanceOf(PokeResult.Ready.class);
 * }</pre>
 */
public final class SensorHarness<P> {
    private final P params;
    private final Sensor<P> sensor;
    private final TestTaskContext context;
    private final PluginContext pluginContext;
    private int pokes;

    private SensorHarness(SensorFactory<P> factory, Map<String, ?> params, TestTaskContext context) {
        this.context = context;
        this.params = PluginHarness.bind(factory, params, context);
        this.pluginContext = TestPluginContext.temporary(context.clock());
        this.sensor = factory.create(pluginContext);
    }

    /** Binds and validates the params and creates the sensor; throws as a DAG load would on bad params. */
    public static <P> SensorHarness<P> of(SensorFactory<P> factory, Map<String, ?> params, TestTaskContext context) {
        return new SensorHarness<>(factory, params, context);
    }

    /** Binds, validates, creates and pokes once. */
    public static <P> PokeResult pokeOnce(SensorFactory<P> factory, Map<String, ?> params,
                                          TestTaskContext context) throws Exception {
        return of(factory, params, context).poke();
    }

    /** Pokes once more; a {@code Ready} output must be JSON-like. Exceptions are the sensor's own. */
    public PokeResult poke() throws Exception {
        if (pokes++ > 0) {
            context.nextPoke();
        }
        PokeResult result = sensor.poke(params, context);
        if (result == null) {
            throw new IllegalStateException("the sensor returned null; return PokeResult.notYet() instead");
        }
        if (result instanceof PokeResult.Ready r) {
            PluginHarness.requireJsonOutput(r.output());
        }
        return result;
    }

    /** How many times {@link #poke()} was called. */
    public int pokes() {
        return pokes;
    }

    public P params() {
        return params;
    }

    public TestTaskContext context() {
        return context;
    }

    public PluginContext pluginContext() {
        return pluginContext;
    }
}
