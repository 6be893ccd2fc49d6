package dev.weft.plugins.standard;

import dev.weft.spi.InvalidParamsException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Params of {@code standard.shell} (Airflow's BashOperator).
 *
 * @param command        run with {@code bash -c} (required)
 * @param env            the environment of the command; when set (non-empty) it <em>replaces</em> the worker's
 *                       environment unless {@code appendEnv} (default: inherit the worker's environment)
 * @param appendEnv      add {@code env} to the worker's environment instead of replacing it (default false)
 * @param cwd            the working directory, which must exist (default: a new temporary directory, deleted after)
 * @param skipOnExitCode an exit code, or a list of them, that ends the task as skipped (default 99; {@code []} for
 *                       none); normalized to a {@code List<Integer>}
 */
public record ShellParams(String command, Map<String, String> env, Boolean appendEnv, String cwd, Object skipOnExitCode) {
    public static final int DEFAULT_SKIP_EXIT_CODE = 99;

    public ShellParams {
        if (command == null || command.isBlank()) {
            throw new InvalidParamsException("command", "is required: the bash command to run");
        }
        env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getValue() == null) {
                throw new InvalidParamsException("env." + e.getKey(), "must not be null");
            }
        }
        appendEnv = appendEnv != null && appendEnv;
        if (cwd != null && cwd.isBlank()) {
            cwd = null;
        }
        skipOnExitCode = skipOnExitCode == null ? List.of(DEFAULT_SKIP_EXIT_CODE)
                : exitCodes(skipOnExitCode, "skip_on_exit_code");
    }

    /** An exit code or a list of them, as a list; {@code field} names the param in errors. */
    static List<Integer> exitCodes(Object value, String field) {
        if (value instanceof List<?> list) {
            List<Integer> codes = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                codes.add(exitCode(list.get(i), field + "[" + i + "]"));
            }
            return List.copyOf(codes);
        }
        return List.of(exitCode(value, field));
    }

    static int exitCode(Object value, String field) {
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && n.longValue() >= 0 && n.longValue() <= 255) {
            return n.intValue();
        }
        if (value instanceof String s && s.strip().matches("\\d{1,3}") && Integer.parseInt(s.strip()) <= 255) {
            return Integer.parseInt(s.strip());
        }
        throw new InvalidParamsException(field, "expected an exit code (0-255) or a list of them, got '" + value + "'");
    }

    /** The exit codes that make the task skipped. */
    @SuppressWarnings("unchecked")
    public List<Integer> skipExitCodes() {
        return (List<Integer>) skipOnExitCode;
    }
}
