package dev.weft.cli;

import dev.weft.api.model.ClearTaskInstances;
import dev.weft.api.model.LogContent;
import dev.weft.api.model.TaskInstance;
import dev.weft.api.model.TaskInstanceCollection;
import dev.weft.api.model.TaskInstanceReference;
import dev.weft.api.model.TaskInstanceReferenceCollection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static dev.weft.cli.OptionValues.isoOrNull;
import static dev.weft.cli.WeftClient.seg;

/** {@code weft tasks ...}: a DAG's tasks and their task instances (states, clearing, logs). */
final class TaskCommands {
    static final WeftCli.Noun NOUN = new WeftCli.Noun(Tasks.class, List.of(List_.class, StatesForDagRun.class,
            State.class, Clear.class, Logs.class));

    private TaskCommands() {
    }

    @Command(name = "tasks", description = "Manage tasks and task instances.", mixinStandardHelpOptions = true)
    static final class Tasks extends GroupCommand {
    }

    static List<String> taskIds(WeftClient api, String dagId) {
        List<String> ids = new ArrayList<>(DagCommands.graph(api, dagId).keySet());
        ids.sort(null);
        return ids;
    }

    @Command(name = "list", description = "The task ids of a DAG, sorted, one per line (--tree: as a dependency "
            + "tree).", mixinStandardHelpOptions = true)
    static final class List_ extends ApiCommand {
        @Parameters(index = "0", paramLabel = "DAG_ID")
        String dagId;
        @Option(names = {"-t", "--tree"}, description = "Show the dependency tree: each root task with its "
                + "downstream tasks below it.")
        boolean tree;

        @Override
        void execute(WeftClient api) {
            if (tree && !common.structured()) {
                out().print(GraphText.tree(DagCommands.graph(api, dagId)));
                return;
            }
            List<String> ids = taskIds(api, dagId);
            if (common.structured()) {
                Output.value(out(), common.output, ids);
            } else {
                ids.forEach(out()::println);
            }
        }
    }

    @Command(name = "states-for-dag-run", description = "The state of every task instance of a run.",
            mixinStandardHelpOptions = true)
    static final class StatesForDagRun extends ApiCommand {
        @Parameters(index = "0", paramLabel = "DAG_ID")
        String dagId;
        @Parameters(index = "1", paramLabel = "RUN_ID")
        String runId;

        @Override
        void execute(WeftClient api) {
            List<TaskInstance> tis = new ArrayList<>(api.getAll("/dags/" + seg(dagId) + "/dagRuns/" + seg(runId)
                    + "/taskInstances", TaskInstanceCollection.class, TaskInstanceCollection::taskInstances));
            tis.sort(Comparator.comparing(TaskInstance::taskId));
            recordRows(List.of("dag_id", "execution_date", "task_id", "state", "start_date", "end_date"), tis);
        }
    }

    @Command(name = "state", description = "The state of one task instance.", mixinStandardHelpOptions = true)
    static final class State extends ApiCommand {
        @Parameters(index = "0", paramLabel = "DAG_ID")
        String dagId;
        @Parameters(index = "1", paramLabel = "TASK_ID")
        String taskId;
        @Parameters(index = "2", paramLabel = "RUN_ID")
        String runId;

        @Override
        void execute(WeftClient api) {
            TaskInstance ti = api.get("/dags/" + seg(dagId) + "/dagRuns/" + seg(runId) + "/taskInstances/"
                    + seg(taskId), TaskInstance.class);
            if (common.structured()) {
                Output.value(out(), common.output, WeftClient.map("dag_id", dagId, "dag_run_id", runId, "task_id", taskId,
                        "state", ti.state()));
            } else {
                out().println(ti.state() == null ? "None" : ti.state());
            }
        }
    }

    @Command(name = "clear", description = "Clear task instances so that they run again. Without -y, shows what "
            + "would be cleared (a dry run) and asks.", mixinStandardHelpOptions = true)
    static final class Clear extends ApiCommand {
        /** The server's header naming the links a recursive clear left out at its depth limit. */
        static final String DEPTH_LIMIT_HEADER = "weft-recursion-depth-limit-reached";
        @Parameters(index = "0", paramLabel = "DAG_ID")
        String dagId;
        @Option(names = {"-t", "--task-regex"}, paramLabel = "REGEX", description = "Only tasks whose id matches "
                + "(searched, as Python's re.search).")
        String taskRegex;
        @Option(names = {"-s", "--start-date"}, paramLabel = "DATE", description = "Logical date from.")
        String start;
        @Option(names = {"-e", "--end-date"}, paramLabel = "DATE", description = "Logical date up to.")
        String end;
        @Option(names = {"-d", "--downstream"}, description = "Include downstream tasks.")
        boolean downstream;
        @Option(names = {"-u", "--upstream"}, description = "Include upstream tasks.")
        boolean upstream;
        @Option(names = {"-f", "--only-failed"}, description = "Only failed task instances.")
        boolean onlyFailed;
        @Option(names = {"-r", "--only-running"}, description = "Only running task instances.")
        boolean onlyRunning;
        @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
        boolean yes;
        @Option(names = "--recursive", description = "Also clear what depends on these task instances in other "
                + "DAGs: the runs a trigger task triggered, the external-task sensors that waited on them (and what "
                + "is downstream of those), the runs that consumed their dataset events, and so on (Airflow's "
                + "include_subdags).")
        boolean recursive;
        @Option(names = "--recursion-depth", paramLabel = "N", description = "With --recursive, how many hops between "
                + "DAGs to follow (default 10, at most 100).")
        Integer recursionDepth;

        @Override
        void execute(WeftClient api) {
            if (recursionDepth != null && !recursive) {
                throw new CliException(CliException.USAGE, "--recursion-depth needs --recursive");
            }
            List<String> tasks = null;
            if (taskRegex != null) {
                Pattern p;
                try {
                    p = Pattern.compile(taskRegex);
                } catch (PatternSyntaxException e) {
                    throw new CliException(CliException.USAGE, "invalid --task-regex: " + e.getDescription());
                }
                tasks = taskIds(api, dagId).stream().filter(t -> p.matcher(t).find()).toList();
                if (tasks.isEmpty()) {
                    out().println("No task instances to clear");
                    return;
                }
            }
            String s = isoOrNull(start, "--start-date");
            String e = isoOrNull(end, "--end-date");
            String path = "/dags/" + seg(dagId) + "/clearTaskInstances"
                    + WeftClient.query("recursion_depth", recursionDepth);
            WeftClient.Answer preview = api.postForAnswer(path, body(true, tasks, s, e));
            List<TaskInstanceReference> would = cleared(preview.json());
            if (would.isEmpty()) {
                out().println("No task instances to clear");
                return;
            }
            String depthLimit = preview.headers().get(DEPTH_LIMIT_HEADER);
            if (!yes) {
                out().println("Task instances that would be cleared:");
                recordRows(CLEARED_COLUMNS, would);
                if (depthLimit != null) {
                    out().println("Not cleared: " + depthLimit + ". Raise --recursion-depth to follow further.");
                }
                if (!Prompts.confirm(out(), "Clear these " + would.size() + " task instance(s)? [y/n] ")) {
                    out().println("Cancelled, nothing was cleared.");
                    return;
                }
            }
            List<TaskInstanceReference> done = cleared(api.post(path, body(false, tasks, s, e)));
            if (common.structured()) {
                recordRows(CLEARED_COLUMNS, done);
            } else {
                out().println("Cleared " + done.size() + " task instance(s).");
                if (depthLimit != null && yes) {
                    out().println("Not cleared: " + depthLimit + ". Raise --recursion-depth to follow further.");
                }
            }
        }

        private static final List<String> CLEARED_COLUMNS = List.of("dag_id", "dag_run_id", "task_id",
                "execution_date");

        private Map<String, Object> body(boolean dryRun, List<String> tasks, String s, String e) {
            return Json.body(new ClearTaskInstances(dryRun, tasks, s, e, onlyFailed, onlyRunning,
                    recursive ? Boolean.TRUE : null, null, true, null, upstream, downstream, null, null));
        }

        private static List<TaskInstanceReference> cleared(Object reply) {
            List<TaskInstanceReference> tis = reply == null ? null
                    : Json.as(TaskInstanceReferenceCollection.class, reply).taskInstances();
            return tis == null ? List.of() : tis;
        }
    }

    @Command(name = "logs", description = {"Print the log of a task instance (the latest try unless --try).",
            "With -f, keeps printing new lines until the try is over, then exits 0 if it succeeded (or was skipped) "
                    + "and 1 if it failed."}, mixinStandardHelpOptions = true)
    static final class Logs extends ApiCommand {
        @Parameters(index = "0", paramLabel = "DAG_ID")
        String dagId;
        @Parameters(index = "1", paramLabel = "RUN_ID")
        String runId;
        @Parameters(index = "2", paramLabel = "TASK_ID")
        String taskId;
        @Option(names = "--try", paramLabel = "N", description = "The try number (default: the latest).")
        Integer tryNumber;
        @Option(names = {"-f", "--follow"}, description = "Follow the log until the try is over; the exit code is "
                + "the try's outcome.")
        boolean follow;

        /** Exit code of -f when the followed try failed. */
        static final int TRY_FAILED = 1;

        @Override
        public Integer call() {
            WeftClient api = common.client();
            String ti = "/dags/" + seg(dagId) + "/dagRuns/" + seg(runId) + "/taskInstances/" + seg(taskId);
            int n;
            if (tryNumber != null) {
                if (tryNumber < 1) {
                    throw new CliException(CliException.USAGE, "--try must be 1 or more");
                }
                n = tryNumber;
            } else {
                n = Math.max(1, api.get(ti, TaskInstance.class).tryNumber());
            }
            if (follow) {
                if (common.structured()) {
                    throw new CliException(CliException.USAGE, "-f/--follow prints the log as text: leave out -o "
                            + common.output);
                }
                return follow(api, ti, n);
            }
            String log = api.getText(ti + "/logs/" + n + "?full_content=true");
            if (common.structured()) {
                Output.value(out(), common.output, WeftClient.map("dag_id", dagId, "dag_run_id", runId,
                        "task_id", taskId, "try_number", n, "content", log));
            } else {
                out().print(log);
                if (!log.isEmpty() && !log.endsWith("\n")) {
                    out().println();
                }
            }
            return 0;
        }

        /** Polls the log endpoint with its continuation token until the server says the try can write no more. */
        private int follow(WeftClient api, String ti, int n) {
            String token = null;
            while (true) {
                LogContent chunk = api.get(ti + "/logs/" + n + WeftClient.query("token", token), LogContent.class);
                String content = chunk.content();
                if (content != null && !content.isEmpty()) {
                    out().print(content);
                    out().flush();
                }
                token = chunk.continuationToken();
                if (token == null || endOfLog(token)) {
                    break;
                }
                if (content == null || content.isEmpty()) {
                    // A failed try waiting for its retry has ended too, though the task instance is not finished.
                    TaskInstance now = api.get(ti, TaskInstance.class);
                    if ("up_for_retry".equals(now.state()) && now.tryNumber() == n) {
                        break;
                    }
                    sleep();
                }
            }
            TaskInstance now = api.get(ti, TaskInstance.class);
            String state = now.state();
            boolean later = now.tryNumber() > n;
            boolean ok = !later && ("success".equals(state) || "skipped".equals(state));
            System.err.println("weft: try " + n + " of " + taskId + " " + (ok ? "ended: " + state
                    : later ? "failed (a later try followed)" : "ended: " + state));
            return ok ? 0 : TRY_FAILED;
        }

        /** The token's payload (base64url JSON before the signature) says whether the log is complete. */
        static boolean endOfLog(String token) {
            int dot = token.indexOf('.');
            try {
                String payload = new String(java.util.Base64.getUrlDecoder().decode(dot < 0 ? token
                        : token.substring(0, dot)), StandardCharsets.UTF_8);
                return payload.replace(" ", "").contains("\"end_of_log\":true");
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        private static void sleep() {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(CliException.SERVER, "interrupted");
            }
        }

        @Override
        void execute(WeftClient api) {
            throw new UnsupportedOperationException();
        }
    }
}
