package dev.weft.plugins.standard;

import dev.weft.spi.IsoDates;
import dev.weft.spi.Operator;
import dev.weft.spi.OperatorFactory;
import dev.weft.spi.OperatorResult;
import dev.weft.spi.PluginContext;
import dev.weft.spi.TaskContext;
import org.slf4j.Logger;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code standard.shell}: runs a command with {@code bash -c}, Airflow's BashOperator. Every line the command writes
 * (stdout and stderr) goes to the task log as it comes; the task's output is the last line written to stdout. Exit
 * code 0 succeeds, a code in {@code skip_on_exit_code} (default 99) skips, any other fails the task. On cancellation
 * or interrupt the whole process tree is killed: SIGTERM to the descendants and the shell, then SIGKILL to whatever
 * is left after a short grace.
 *
 * <p><b>The command's processes die with the worker.</b> Where {@code setsid} exists (Linux), the command runs in a
 * process group (and session) of its own, beside a watchdog that reads a pipe from the worker's JVM. When the pipe
 * closes (the try is cancelled or interrupted, or the JVM died, even by kill -9), the watchdog sends SIGTERM to the
 * whole group, and SIGKILL a second later: processes the command started and that left the tree are killed too, and
 * a retry never runs beside an orphan of its earlier try. Only a process that starts a session of its own escapes.
 * When the command ends by itself, the watchdog ends and background processes it left keep running, as in Airflow.
 *
 * <p>Like Airflow, the command also sees {@code AIRFLOW_CTX_DAG_ID}, {@code AIRFLOW_CTX_TASK_ID},
 * {@code AIRFLOW_CTX_DAG_RUN_ID}, {@code AIRFLOW_CTX_TRY_NUMBER} and {@code AIRFLOW_CTX_EXECUTION_DATE}.
 */
public final class ShellOperatorFactory implements OperatorFactory<ShellParams> {
    public static final String TYPE = "standard.shell";
    static final Duration KILL_GRACE = Duration.ofSeconds(2);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Set<String> TEMPLATED = Set.of("command", "env", "cwd");

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Class<ShellParams> paramsType() {
        return ShellParams.class;
    }

    @Override
    public String description() {
        return "Runs a bash command (Airflow's BashOperator)";
    }

    @Override
    public boolean isTemplated(String paramName) {
        return TEMPLATED.contains(paramName);
    }

    @Override
    public Operator<ShellParams> create(PluginContext pluginContext) {
        return (params, context) -> run(params, context, pluginContext);
    }

    private static OperatorResult run(ShellParams params, TaskContext context, PluginContext pluginContext)
            throws IOException {
        Exit exit = execute(params, context, pluginContext);
        if (params.skipExitCodes().contains(exit.code())) {
            return OperatorResult.skipped("Bash command returned exit code " + exit.code() + ". Skipping.");
        }
        if (exit.code() != 0) {
            throw new IllegalStateException("Bash command failed. The command returned a non-zero exit code "
                    + exit.code() + ".");
        }
        return OperatorResult.success(exit.lastLine());
    }

    /** How a command ended: its exit code and the last line it wrote to stdout (null if none). */
    record Exit(int code, String lastLine) {
    }

    /**
     * Runs {@code params.command()} (env, append_env, cwd as documented on {@link ShellParams}) to its end, its output
     * in the try's log; shared with {@code standard.shell_sensor}, which reads the exit code differently.
     */
    static Exit execute(ShellParams params, TaskContext context, PluginContext pluginContext) throws IOException {
        Logger log = context.log();
        Path tempDir = null;
        Path dir;
        if (params.cwd() != null) {
            dir = Path.of(params.cwd());
            if (!Files.exists(dir)) {
                throw new IllegalArgumentException("Can not find the cwd: " + params.cwd());
            }
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("The cwd " + params.cwd() + " must be a directory");
            }
        } else {
            Files.createDirectories(pluginContext.workDirectory());
            tempDir = Files.createTempDirectory(pluginContext.workDirectory(), "shell-");
            dir = tempDir;
        }
        try {
            return runIn(dir, params, context, log);
        } finally {
            if (tempDir != null) {
                deleteQuietly(tempDir);
            }
        }
    }

    /**
     * Runs in a process group of its own ({@code setsid}); {@code $1} is the command. Its standard input is the pipe
     * from the JVM, which only the watchdog reads: at its end the watchdog (deaf to SIGTERM) kills the group, itself
     * last. The command's exit code is the wrapper's.
     */
    private static final String WATCHED = """
            exec 3<&0
            ( PATH=/usr/bin:/bin:$PATH; trap '' TERM; read -r -u 3 _; kill -TERM 0; sleep 1; kill -KILL 0 ) \
                </dev/null >/dev/null 2>&1 &
            watchdog=$!
            "$BASH" -c "$1" 3<&- </dev/null
            code=$?
            kill -KILL "$watchdog" 2>/dev/null
            exit "$code"
            """;

    private static Exit runIn(Path dir, ShellParams params, TaskContext context, Logger log) throws IOException {
        Optional<String> setsid = onPath("setsid");
        List<String> command = setsid.map(s -> List.of(s, bash(), "-c", WATCHED, "weft-shell", params.command()))
                .orElseGet(() -> List.of(bash(), "-c", params.command()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = builder.environment();
        if (!params.env().isEmpty() && !params.appendEnv()) {
            env.clear();
        }
        env.putAll(params.env());
        env.putAll(contextVariables(context));

        log.info("Working directory: {}", dir);
        log.info("Running command: ['{}', '-c', '{}']", bash(), params.command());
        if (setsid.isEmpty()) {
            log.warn("setsid was not found: processes the command starts may outlive the worker if it dies");
        }
        Process process = builder.start();
        if (setsid.isEmpty()) {
            process.getOutputStream().close();
        }
        log.info("Output:");
        AtomicReference<String> lastLine = new AtomicReference<>();
        Thread out = pump(process.getInputStream(), log, lastLine);
        Thread err = pump(process.getErrorStream(), log, null);

        // Wait for the shell, then for its output to end (background children may still hold it, as in Airflow).
        // Descendants are noted while the shell lives, so that a cancel can still reach orphaned ones.
        ProcessTree tree = new ProcessTree(process);
        try {
            for (int polls = 0; !process.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS); polls++) {
                if (polls % 10 == 0) {
                    tree.refresh();
                }
                checkCancelled(context, tree, log);
            }
            while (!out.join(POLL) | !err.join(POLL)) {
                checkCancelled(context, tree, log);
            }
        } catch (InterruptedException e) {
            tree.kill(log);
            Thread.currentThread().interrupt();
            throw new CancellationException("Command interrupted; its process tree was killed");
        }

        process.getOutputStream().close();
        int exitCode = process.exitValue();
        log.info("Command exited with return code {}", exitCode);
        return new Exit(exitCode, lastLine.get());
    }

    private static void checkCancelled(TaskContext context, ProcessTree tree, Logger log) {
        if (context.cancellation().isCancelled()) {
            String reason = context.cancellation().reason();
            log.warn("Cancelled{}: killing the command's process tree", reason == null ? "" : " (" + reason + ")");
            tree.kill(log);
            throw new CancellationException("Command cancelled" + (reason == null ? "" : " (" + reason + ")")
                    + "; its process tree was killed");
        }
    }

    /** Reads lines from {@code in} into the log as they come, keeping the last one when asked. */
    private static Thread pump(InputStream in, Logger log, AtomicReference<String> last) {
        return Thread.ofVirtual().name("shell-output").start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    log.info("{}", line);
                    if (last != null) {
                        last.set(line);
                    }
                }
            } catch (IOException e) {
                // The stream was closed because the process was killed: nothing more to read.
            }
        });
    }

    /** A process and the descendants seen so far (kept even after they are orphaned). */
    static final class ProcessTree {
        private final Process process;
        private final Set<ProcessHandle> known = new LinkedHashSet<>();

        ProcessTree(Process process) {
            this.process = process;
        }

        void refresh() {
            process.descendants().forEach(known::add);
            known.removeIf(h -> !h.isAlive());
        }

        /**
         * Kills the process and all its descendants: closes the watchdog's pipe (it kills the process group), SIGTERM
         * to the descendants (found before anything dies, so that orphans are not lost), then to the process; after
         * {@link #KILL_GRACE} SIGKILL to whatever is still alive. An interrupt meanwhile does not cut the grace short; it
         * is kept for the caller.
         */
        void kill(Logger log) {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // The pipe is gone already: the watchdog has seen its end.
            }
            refresh();
            List<ProcessHandle> all = new ArrayList<>(known);
            all.forEach(ProcessHandle::destroy);
            process.destroy();
            all.add(process.toHandle());
            long deadline = System.nanoTime() + KILL_GRACE.toNanos();
            boolean interrupted = false;
            while (System.nanoTime() < deadline && all.stream().anyMatch(ProcessHandle::isAlive)) {
                try {
                    Thread.sleep(POLL.toMillis());
                } catch (InterruptedException e) {
                    // A stopping worker interrupts the try it cancelled: the processes still get their grace.
                    interrupted = true;
                }
            }
            List<ProcessHandle> survivors = all.stream().filter(ProcessHandle::isAlive).toList();
            if (!survivors.isEmpty()) {
                log.warn("Killing {} process(es) that outlived SIGTERM: {}", survivors.size(),
                        survivors.stream().map(ProcessHandle::pid).toList());
                survivors.forEach(ProcessHandle::destroyForcibly);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Airflow's {@code AIRFLOW_CTX_*} variables. */
    private static Map<String, String> contextVariables(TaskContext context) {
        return Map.of(
                "AIRFLOW_CTX_DAG_ID", context.taskKey().dagId(),
                "AIRFLOW_CTX_TASK_ID", context.taskKey().taskId(),
                "AIRFLOW_CTX_DAG_RUN_ID", context.taskKey().runId(),
                "AIRFLOW_CTX_TRY_NUMBER", String.valueOf(context.taskKey().tryNumber()),
                "AIRFLOW_CTX_EXECUTION_DATE", IsoDates.isoformat(context.logicalDate()));
    }

    private static String bash() {
        return onPath("bash").orElse(Files.isExecutable(Path.of("/bin/bash")) ? "/bin/bash" : "bash");
    }

    private static Optional<String> onPath(String program) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    Path candidate = Path.of(entry, program);
                    if (Files.isExecutable(candidate)) {
                        return Optional.of(candidate.toString());
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static void deleteQuietly(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // A leftover temporary directory is not worth failing the task for.
        }
    }
}
