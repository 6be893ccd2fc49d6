package dev.weft.plugins.standard;

import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.PokeResult;
import dev.weft.testkit.SensorHarness;
import dev.weft.testkit.TestTaskContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShellSensorTest {
    /** The chapter's rule (6.1.1) as a DAG file writes it: at least one data-*.csv and _SUCCESS. */
    static final String PROMOTION_RULE = "compgen -G \"$DIR/data-*.csv\" && test -f \"$DIR/_SUCCESS\"";

    @TempDir
    Path dir;
    private final ShellSensorFactory factory = new ShellSensorFactory();
    private final TestTaskContext ctx = TestTaskContext.create();

    private PokeResult poke(Map<String, ?> params) throws Exception {
        return SensorHarness.pokeOnce(factory, params, ctx);
    }

    @Test
    void theChaptersRuleNeedsADataFileAndSuccess() throws Exception {
        Path supermarket = dir.resolve("supermarket1");
        var sensor = SensorHarness.of(factory, Map.of("command", PROMOTION_RULE,
                "env", Map.of("DIR", supermarket.toString()), "append_env", true), ctx);
        assertThat(sensor.poke()).as("no folder yet").isInstanceOf(PokeResult.NotYet.class);
        Files.createDirectories(supermarket);
        Files.writeString(supermarket.resolve("_SUCCESS"), "");
        assertThat(sensor.poke()).as("_SUCCESS alone").isEqualTo(
                PokeResult.notYet("The command exited with 1: not yet"));
        Files.writeString(supermarket.resolve("data-01.csv"), "id\n");
        assertThat(sensor.poke()).isInstanceOf(PokeResult.Ready.class);
        assertThat(ctx.logLines()).contains("INFO Command exited with return code 1",
                "INFO Command exited with return code 0");
    }

    @Test
    void readyOutputsTheLastStdoutLineAndOutputGoesToTheLog() throws Exception {
        assertThat(poke(Map.of("command", "echo checking; echo found it"))).isEqualTo(PokeResult.ready("found it"));
        assertThat(ctx.logLines()).contains("INFO checking", "INFO found it");
    }

    @Test
    void theCommandIsTemplatedWithEnvAndCwd() {
        assertThat(factory.isTemplated("command")).isTrue();
        assertThat(factory.isTemplated("env")).isTrue();
        assertThat(factory.isTemplated("cwd")).isTrue();
        assertThat(factory.isTemplated("fail_exit_codes")).isFalse();
    }

    @Test
    void envAndCwdReachTheCommand() throws Exception {
        assertThat(poke(Map.of("command", "test \"$PWD\" = \"$WANT\"", "cwd", dir.toString(),
                "env", Map.of("WANT", dir.toString())))).isInstanceOf(PokeResult.Ready.class);
    }

    @Test
    void failExitCodesFailAtOnceOthersWait() throws Exception {
        assertThat(poke(Map.of("command", "exit 3", "fail_exit_codes", List.of(2, 3))))
                .isEqualTo(PokeResult.failed("The command exited with 3, a code that fails the sensor "
                        + "(fail_exit_codes [2, 3])"));
        assertThat(poke(Map.of("command", "exit 4", "fail_exit_codes", 3))).isInstanceOf(PokeResult.NotYet.class);
    }

    @Test
    void withRetryExitCodeOnlyThatCodeWaits() throws Exception {
        assertThat(poke(Map.of("command", "exit 1", "retry_exit_code", 1))).isInstanceOf(PokeResult.NotYet.class);
        assertThat(poke(Map.of("command", "exit 2", "retry_exit_code", 1))).isEqualTo(PokeResult.failed(
                "The command exited with 2, a code that fails the sensor (only 1 means not yet)"));
    }

    @Test
    void badParamsAreNamed() {
        assertThatThrownBy(() -> poke(Map.of("command", " "))).isInstanceOf(InvalidParamsException.class)
                .hasMessageStartingWith("command: is required");
        assertThatThrownBy(() -> poke(Map.of("command", "true", "fail_exit_codes", List.of(0))))
                .isInstanceOf(InvalidParamsException.class).hasMessageStartingWith("fail_exit_codes: must not hold 0");
        assertThatThrownBy(() -> poke(Map.of("command", "true", "fail_exit_codes", "often")))
                .isInstanceOf(InvalidParamsException.class).hasMessageStartingWith("fail_exit_codes: expected an exit code");
        assertThatThrownBy(() -> poke(Map.of("command", "true", "retry_exit_code", 0)))
                .isInstanceOf(InvalidParamsException.class).hasMessageStartingWith("retry_exit_code: must not be 0");
    }

    @Test
    void theDslWritesTheSameParams() {
        assertThat(Standard.shellSensor("test -f x").cwd("/d").env("A", "1").failExitCodes(2).retryExitCode(1)
                .params()).isEqualTo(Map.of("command", "test -f x", "cwd", "/d", "env", Map.of("A", "1"),
                "fail_exit_codes", List.of(2L), "retry_exit_code", 1L));
    }
}
