package dev.weft.plugins.standard;

import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.PluginContext;
import dev.weft.spi.PokeResult;
import dev.weft.spi.Sensor;
import dev.weft.spi.SensorFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code standard.shell_sensor}: a condition written as a bash command, Airflow's BashSensor. Each poke runs the
 * command once (with {@code bash -c}, as {@code standard.shell} does: env, append_env, cwd, output lines in the try's
 * log): exit code 0 means ready (the output is the last line written to stdout), any other code means not yet, and
 * the engine pokes again at the next interval. Codes that mean the condition can never hold fail the sensor at once,
 * without retries: those in {@code fail_exit_codes}, or, when {@code retry_exit_code} is set (Airflow's rule), every
 * non-zero code except that one.
 */
public final class ShellSensorFactory implements SensorFactory<ShellSensorFactory.Params> {
    public static final String TYPE = "standard.shell_sensor";
    private static final Set<String> TEMPLATED = Set.of("command", "env", "cwd");

    /**
     * @param command       the condition, run with {@code bash -c} (required, templated)
     * @param env           the command's environment; replaces the worker's unless {@code appendEnv} (templated)
     * @param appendEnv     add {@code env} to the worker's environment instead of replacing it (default false)
     * @param cwd           the working directory, which must exist (default: a new temporary directory; templated)
     * @param retryExitCode when set, the one non-zero code that means "not yet"; every other non-zero code fails
     * @param failExitCodes an exit code or a list of them that fail the sensor (default none)
     */
    public record Params(String command, Map<String, String> env, Boolean appendEnv, String cwd, Integer retryExitCode,
                         Object failExitCodes) {
        public Params {
            if (command == null || command.isBlank()) {
                throw new InvalidParamsException("command", "is required: the bash command whose exit code 0 "
                        + "means ready");
            }
            if (retryExitCode != null) {
                ShellParams.exitCode(retryExitCode, "retry_exit_code");
                if (retryExitCode == 0) {
                    throw new InvalidParamsException("retry_exit_code", "must not be 0, which means ready");
                }
            }
            failExitCodes = failExitCodes == null ? List.of() : ShellParams.exitCodes(failExitCodes, "fail_exit_codes");
            if (((List<?>) failExitCodes).contains(0)) {
                throw new InvalidParamsException("fail_exit_codes", "must not hold 0, which means ready");
            }
        }

        /** The codes that fail the sensor at once. */
        @SuppressWarnings("unchecked")
        public List<Integer> failCodes() {
            return (List<Integer>) failExitCodes;
        }

        /** Whether an exit code other than 0 fails the sensor instead of asking for another poke. */
        boolean fails(int code) {
            return failCodes().contains(code) || (retryExitCode != null && code != retryExitCode);
        }

        /** The command as {@code standard.shell} runs it (no skip codes: a sensor is never skipped by its code). */
        ShellParams shell() {
            return new ShellParams(command, env, appendEnv, cwd, List.of());
        }
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public String description() {
        return "Waits until a bash command exits with 0 (Airflow's BashSensor)";
    }

    @Override
    public boolean isTemplated(String paramName) {
        return TEMPLATED.contains(paramName);
    }

    @Override
    public Sensor<Params> create(PluginContext pluginContext) {
        return (params, ctx) -> {
            ShellOperatorFactory.Exit exit = ShellOperatorFactory.execute(params.shell(), ctx, pluginContext);
            if (exit.code() == 0) {
                return PokeResult.ready(exit.lastLine());
            }
            if (params.fails(exit.code())) {
                return PokeResult.failed("The command exited with " + exit.code() + ", a code that fails the sensor"
                        + (params.retryExitCode() != null ? " (only " + params.retryExitCode() + " means not yet)"
                        : " (fail_exit_codes " + params.failCodes() + ")"));
            }
            return PokeResult.notYet("The command exited with " + exit.code() + ": not yet");
        };
    }
}
