package dev.weft.plugins.standard;

import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.OperatorResult;
import dev.weft.testkit.OperatorHarness;
import dev.weft.testkit.TestTaskContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShellOperatorTest {
    private static final java.util.Set<String> BASH_SETS = java.util.Set.of("PATH", "PWD", "OLDPWD", "SHLVL", "_",
            "HOSTNAME", "IFS", "PS1", "PS2", "PS4", "OPTIND", "BASH", "TERM", "SHELL", "HOSTTYPE", "MACHTYPE", "OSTYPE");
    private final ShellOperatorFactory factory = new ShellOperatorFactory();
    private final TestTaskContext ctx = TestTaskContext.builder().dagId("d").taskId("t").build();

    private OperatorResult run(Map<String, ?> params) throws Exception {
        return OperatorHarness.execute(factory, params, ctx);
    }

    @Test
    void logsEveryLineAndOutputsTheLastStdoutLine() throws Exception {
        OperatorResult result = run(Map.of("command", "echo first; echo oops >&2; echo '{} braces'; echo last"));
        assertThat(result).isEqualTo(OperatorResult.success("last"));
        assertThat(ctx.logLines()).contains("INFO first", "INFO oops", "INFO {} braces", "INFO last",
                "INFO Command exited with return code 0");
        assertThat(ctx.logLines()).anyMatch(l -> l.startsWith("INFO Running command: ["));
    }

    @Test
    void noOutputGivesANullOutput() throws Exception {
        assertThat(run(Map.of("command", "true"))).isEqualTo(OperatorResult.success(null));
    }

    @Test
    void aNonZeroExitFailsNamingTheCode() {
        assertThatThrownBy(() -> run(Map.of("command", "echo partial; exit 3")))
                .hasMessage("Bash command failed. The command returned a non-zero exit code 3.");
        assertThat(ctx.logLines()).contains("INFO partial", "INFO Command exited with return code 3");
    }

    @Test
    void exit99SkipsByDefaultAndSkipCodesCanBeChanged() throws Exception {
        assertThat(run(Map.of("command", "exit 99"))).isInstanceOf(OperatorResult.Skipped.class);
        assertThat(run(Map.of("command", "exit 3", "skip_on_exit_code", 3))).isInstanceOf(OperatorResult.Skipped.class);
        assertThat(run(Map.of("command", "exit 4", "skip_on_exit_code", List.of(3, 4)))).isInstanceOf(OperatorResult.Skipped.class);
        assertThatThrownBy(() -> run(Map.of("command", "exit 99", "skip_on_exit_code", List.of())))
                .hasMessageContaining("non-zero exit code 99");
        assertThatThrownBy(() -> run(Map.of("command", "true", "skip_on_exit_code", "often")))
                .isInstanceOf(InvalidParamsException.class).hasMessageStartingWith("skip_on_exit_code: expected an exit code");
    }

    @Test
    void envReplacesTheInheritedEnvironmentUnlessAppended() throws Exception {
        // A variable of the worker's environment that bash does not set by itself.
        String inherited = System.getenv().keySet().stream()
                .filter(k -> k.matches("[A-Za-z_][A-Za-z0-9_]*") && !BASH_SETS.contains(k)).sorted().findFirst()
                .orElseThrow();
        String show = "echo \"$FOO:${" + inherited + ":+inherited}\"";
        assertThat(run(Map.of("command", show, "env", Map.of("FOO", "bar"))))
                .isEqualTo(OperatorResult.success("bar:"));
        assertThat(run(Map.of("command", show, "env", Map.of("FOO", "bar"), "append_env", true)))
                .isEqualTo(OperatorResult.success("bar:inherited"));
        assertThat(run(Map.of("command", show)))
                .isEqualTo(OperatorResult.success(":inherited"));
        assertThat(run(Map.of("command", "echo \"$N\"", "env", Map.of("N", 5))))
                .isEqualTo(OperatorResult.success("5"));
    }

    @Test
    void theCommandSeesAirflowsContextVariables() throws Exception {
        assertThat(run(Map.of("command", "echo $AIRFLOW_CTX_DAG_ID/$AIRFLOW_CTX_TASK_ID/$AIRFLOW_CTX_TRY_NUMBER/$AIRFLOW_CTX_EXECUTION_DATE",
                "env", Map.of("X", "1"))))
                .isEqualTo(OperatorResult.success("d/t/1/2026-01-01T00:00:00+00:00"));
    }

    @Test
    void runsInCwdOrInATemporaryDirectoryThatIsRemovedAfterwards(@TempDir Path dir) throws Exception {
        assertThat(run(Map.of("command", "pwd", "cwd", dir.toString()))).isEqualTo(OperatorResult.success(dir.toString()));

        OperatorResult inTemp = run(Map.of("command", "touch scratch; pwd"));
        Path temp = Path.of((String) ((OperatorResult.Success) inTemp).output());
        assertThat(temp).isNotEqualTo(dir);
        assertThat(Files.exists(temp)).isFalse();

        assertThatThrownBy(() -> run(Map.of("command", "pwd", "cwd", dir.resolve("missing").toString())))
                .hasMessageContaining("Can not find the cwd");
        Path file = Files.createFile(dir.resolve("file"));
        assertThatThrownBy(() -> run(Map.of("command", "pwd", "cwd", file.toString())))
                .hasMessageContaining("must be a directory");
    }

    @Test
    void aBlankCommandIsRejected() {
        assertThatThrownBy(() -> run(Map.of("command", " "))).isInstanceOf(InvalidParamsException.class)
                .hasMessageStartingWith("command: is required");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void cancellationKillsTheWholeProcessTree() throws Exception {
        CompletableFuture<Throwable> running = start(
                "sleep 30 & echo \"background $!\"; echo \"shell $$\"; sleep 30; wait");
        List<ProcessHandle> tree = treeOnceStarted();

        ctx.cancel("execution_timeout");

        assertThat(running.get(20, TimeUnit.SECONDS))
                .isInstanceOf(CancellationException.class).hasMessageContaining("execution_timeout");
        awaitTrue(() -> tree.stream().noneMatch(ProcessHandle::isAlive), "every process of the tree to end");
        assertThat(ctx.logLines()).anyMatch(l -> l.contains("killing the command's process tree"));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anInterruptKillsTheWholeProcessTree() throws Exception {
        CompletableFuture<Throwable> running = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().daemon().start(() -> running.complete(failureOf(
                "sleep 30 & echo \"shell $$\"; sleep 30; wait")));
        List<ProcessHandle> tree = treeOnceStarted(1);

        thread.interrupt();

        assertThat(running.get(20, TimeUnit.SECONDS))
                .isInstanceOf(CancellationException.class).hasMessageContaining("interrupted");
        awaitTrue(() -> tree.stream().noneMatch(ProcessHandle::isAlive), "every process of the tree to end");
        thread.join();
    }

    /** A stopping worker cancels a try, then interrupts its thread: SIGTERM still gets its grace, no SIGKILL. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anInterruptDuringTheKillLeavesTheProcessesTheirGrace() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        ShellOperatorFactory.ProcessTree tree = new ShellOperatorFactory.ProcessTree(sleeper);

        Thread.currentThread().interrupt();
        tree.kill(ctx.log());

        assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        // Dead by then; its Process object learns it when the JVM's reaper thread has collected it.
        assertThat(sleeper.waitFor(5, TimeUnit.SECONDS)).as("ended").isTrue();
        assertThat(sleeper.exitValue()).as("ended by SIGTERM").isEqualTo(143);
        assertThat(ctx.logLines()).noneMatch(l -> l.contains("outlived SIGTERM"));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void cancellationAlsoKillsAProcessThatLeftTheTree() throws Exception {
        // The subshell ends at once: its sleep is re-parented, out of the shell's tree, but still in its process group.
        CompletableFuture<Throwable> running = start("( sleep 60 & echo \"orphan $!\" ); echo \"shell $$\"; sleep 30");
        awaitTrue(() -> pidAfter("orphan ").isPresent() && shellPid().isPresent(), "the pids printed");
        ProcessHandle orphan = ProcessHandle.of(pidAfter("orphan ").get()).orElseThrow();
        ProcessHandle shell = ProcessHandle.of(shellPid().get()).orElseThrow();
        awaitTrue(() -> shell.descendants().noneMatch(d -> d.pid() == orphan.pid()), "the orphan to leave the tree");

        ctx.cancel("execution_timeout");

        assertThat(running.get(20, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        awaitTrue(() -> !orphan.isAlive(), "the orphan to end");
    }

    /** Runs the command on another thread; completes with what it threw (null when it returned). */
    private CompletableFuture<Throwable> start(String command) {
        CompletableFuture<Throwable> running = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> running.complete(failureOf(command)));
        return running;
    }

    private Throwable failureOf(String command) {
        try {
            run(Map.of("command", command));
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    private List<ProcessHandle> treeOnceStarted() throws InterruptedException {
        return treeOnceStarted(2);
    }

    /** The shell (from its "shell <pid>" line) and its descendants, once it has {@code children} of them. */
    private List<ProcessHandle> treeOnceStarted(int children) throws InterruptedException {
        awaitTrue(() -> shellPid().isPresent(), "the shell to print its pid");
        ProcessHandle shell = ProcessHandle.of(shellPid().get()).orElseThrow();
        awaitTrue(() -> shell.descendants().count() >= children, children + " child processes");
        List<ProcessHandle> tree = new ArrayList<>(shell.descendants().toList());
        tree.add(shell);
        assertThat(tree).allMatch(ProcessHandle::isAlive);
        return tree;
    }

    private Optional<Long> shellPid() {
        return pidAfter("shell ");
    }

    /** The pid the command printed after {@code label}. */
    private Optional<Long> pidAfter(String label) {
        return ctx.logLines().stream().filter(l -> l.startsWith("INFO " + label))
                .map(l -> Long.parseLong(l.substring(("INFO " + label).length()).strip())).findFirst();
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
