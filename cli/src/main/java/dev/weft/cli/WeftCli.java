package dev.weft.cli;

import dev.weft.api.model.ClearTaskInstances;
import dev.weft.api.model.TriggerDagRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static dev.weft.cli.WeftClient.query;
import static dev.weft.cli.WeftClient.seg;

/** The Weft command-line client: every command is a call of the REST API. */
@Command(name = "weft", mixinStandardHelpOptions = true, versionProvider = WeftCli.ClientVersion.class,
        description = "The Weft command-line client (a client of the REST API at --url, WEFT_URL, the config file "
                + "of weft login, or http://localhost:8080; credentials from WEFT_USER and WEFT_PASSWORD, or that "
                + "file).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the try followed by tasks logs -f failed", "2:usage error or bad input", "3:not found", "4:conflict (already exists)",
                "5:authentication or permission", "6:server unreachable", "7:server error"})
public final class WeftCli implements Runnable {
    static final String DEFAULT_URL = CliConfig.DEFAULT_URL;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** --url given before the command (weft --url URL dags list); a command's own --url wins. */
    static String rootUrl;

    @Option(names = "--url", paramLabel = "URL",
            description = "The Weft server (default: WEFT_URL, the config file, else " + DEFAULT_URL + ").")
    void setUrl(String url) {
        rootUrl = url;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the CLI; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        rootUrl = null;
        CommandLine cl = commandLine(args);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof CliException c) {
                err.println("weft: " + c.getMessage());
                return c.exitCode;
            }
            err.println("weft: unexpected error: " + e);
            return CliException.SERVER;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command tree: each top-level command, with its subcommands when it groups some. */
    private static final Map<Class<?>, List<Class<?>>> TREE = tree();

    private static Map<Class<?>, List<Class<?>>> tree() {
        Map<Class<?>, List<Class<?>>> t = new LinkedHashMap<>();
        t.put(Dags.class, List.of(DagsList.class, DagsListRuns.class, DagsTrigger.class, DagsPause.class,
                DagsUnpause.class, DagsState.class, DagCommands.NextExecution.class, DagsListImportErrors.class,
                DagCommands.Backfill.class, DagCommands.Show.class));
        t.put(Tasks.class, List.of(TasksList.class, TasksStatesForDagRun.class, TasksState.class, TasksClear.class,
                TasksLogs.class));
        t.put(Pools.class, List.of(PoolsList.class, AdminCommands.PoolsGet.class, AdminCommands.PoolsSet.class,
                AdminCommands.PoolsDelete.class));
        t.put(VariableCommands.Variables.class, List.of(VariableCommands.List_.class, VariableCommands.Get.class,
                VariableCommands.Set_.class, VariableCommands.Delete.class, VariableCommands.Import.class,
                VariableCommands.Export.class));
        t.put(DatasetCommands.Datasets.class, List.of(DatasetCommands.List_.class, DatasetCommands.Events.class,
                DatasetCommands.Emit.class));
        t.put(AdminCommands.Users.class, List.of(AdminCommands.UsersList.class, AdminCommands.UsersCreate.class));
        t.put(Plugins.class, List.of(PluginsList.class));
        t.put(Version.class, List.of());
        t.put(AdminCommands.Login.class, List.of());
        t.put(AdminCommands.Completion.class, List.of());
        return t;
    }

    private static String name(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    /**
     * The command line for these arguments: picocli reads the annotations of every command it is given, which costs
     * more start-up time than the request itself, so only the command the arguments name (and its group) is added
     * when they name one; otherwise (help, a typo, {@code args} null) the whole tree.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine root = new CommandLine(new WeftCli());
        List<String> words = args == null ? List.of() : commandWords(args);
        for (Map.Entry<Class<?>, List<Class<?>>> group : TREE.entrySet()) {
            if (!words.isEmpty() && TREE.keySet().stream().anyMatch(c -> name(c).equals(words.get(0)))
                    && !name(group.getKey()).equals(words.get(0))) {
                continue;
            }
            CommandLine sub = new CommandLine(group.getKey());
            boolean named = words.size() > 1 && group.getValue().stream().anyMatch(c -> name(c).equals(words.get(1)));
            for (Class<?> leaf : group.getValue()) {
                if (!named || name(leaf).equals(words.get(1))) {
                    sub.addSubcommand(new CommandLine(leaf));
                }
            }
            root.addSubcommand(sub);
        }
        return root;
    }

    /** The words of the arguments that are not options (the root's --url value skipped): the command's path. */
    private static List<String> commandWords(String[] args) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length && words.size() < 2; i++) {
            String a = args[i];
            if (a.equals("--url")) {
                i++;
            } else if (!a.startsWith("-")) {
                words.add(a);
            } else if (words.isEmpty() && !a.startsWith("--url=")) {
                return List.of(); // e.g. --help, --version: the whole tree
            }
        }
        return words;
    }

    static final class ClientVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = WeftCli.class.getPackage().getImplementationVersion();
            return new String[] {"weft-cli " + (v == null ? "dev" : v)};
        }
    }

    /** The options every command has: the server and the output format. */
    static final class Common {
        @Option(names = "--url", paramLabel = "URL",
                description = "The Weft server (default: WEFT_URL, the config file, else " + DEFAULT_URL + ").")
        String url;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
                description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Output.Format output;

        WeftClient client() {
            CliConfig c = CliConfig.resolve(url != null ? url : rootUrl, System::getenv);
            return new WeftClient(c.url(), c.user(), c.password());
        }

        boolean structured() {
            return output == Output.Format.json || output == Output.Format.yaml;
        }
    }

    /** A command that only groups subcommands: given alone, it is a usage error. */
    abstract static class Group implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
        }
    }

    abstract static class Base implements Callable<Integer> {
        @Mixin
        Common common;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        PrintStream out() {
            return System.out;
        }

        void rows(List<String> columns, List<Map<String, Object>> rows) {
            Output.rows(out(), common.output, columns, rows);
        }

        @Override
        public Integer call() {
            execute(common.client());
            return 0;
        }

        abstract void execute(WeftClient api);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(List<Object> list) {
        List<Map<String, Object>> result = new ArrayList<>();
        list.forEach(o -> result.add((Map<String, Object>) o));
        return result;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    /** A date as the options take it (ISO date or date-time, with or without offset; no offset is UTC). */
    static OffsetDateTime date(String text, String option) {
        String t = text.trim().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(t);
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(t).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(t).atStartOfDay().atOffset(ZoneOffset.UTC);
                } catch (DateTimeParseException notDate) {
                    throw new CliException(CliException.USAGE, "invalid date for " + option + ": '" + text
                            + "' (expected e.g. 2026-11-24 or 2026-11-24T09:30:00+00:00)");
                }
            }
        }
    }

    static String iso(OffsetDateTime d) {
        return (d.getNano() == 0 ? SECONDS : MICROS).format(d);
    }

    static String isoOrNull(String text, String option) {
        return text == null ? null : iso(date(text, option));
    }

    /** Asks a yes/no question on stdin; only y or yes is a yes (end of input is a no). */
    static boolean confirm(PrintStream out, String question) {
        out.print(question);
        out.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
        } catch (java.io.IOException ex) {
            return false;
        }
    }

    // ---------------------------------------------------------------- dags

    @Command(name = "dags", description = "Manage DAGs.", mixinStandardHelpOptions = true)
    static final class Dags extends Group {
    }

    @Command(name = "list", description = "List the DAGs, sorted by DAG id.", mixinStandardHelpOptions = true)
    static final class DagsList extends Base {
        @Override
        void execute(WeftClient api) {
            List<Map<String, Object>> dags = maps(api.getAll("/dags", "dags"));
            dags.sort(Comparator.comparing(d -> str(d.get("dag_id"))));
            rows(List.of("dag_id", "fileloc", "owners", "is_paused"), dags);
        }
    }

    @Command(name = "list-runs", description = "List the runs of a DAG, newest logical date first.",
            mixinStandardHelpOptions = true)
    static final class DagsListRuns extends Base {
        @Option(names = {"-d", "--dag-id"}, required = true, paramLabel = "DAG_ID", description = "The DAG.")
        String dagId;
        @Option(names = "--state", paramLabel = "STATE", description = "Only runs in this state (queued, running, "
                + "success, failed).")
        String state;
        @Option(names = "--no-backfill", description = "Leave out backfill runs.")
        boolean noBackfill;
        @Option(names = {"-s", "--start-date"}, paramLabel = "DATE", description = "Logical date from (inclusive).")
        String start;
        @Option(names = {"-e", "--end-date"}, paramLabel = "DATE", description = "Logical date up to (inclusive).")
        String end;

        @Override
        void execute(WeftClient api) {
            String q = query("state", state, "execution_date_gte", isoOrNull(start, "--start-date"),
                    "execution_date_lte", isoOrNull(end, "--end-date"));
            List<Map<String, Object>> runs = maps(api.getAll("/dags/" + seg(dagId) + "/dagRuns" + q, "dag_runs"));
            if (noBackfill) {
                runs.removeIf(r -> "backfill".equals(r.get("run_type")));
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map<String, Object> r : runs) {
                Map<String, Object> row = new LinkedHashMap<>(r);
                row.put("run_id", r.get("dag_run_id"));
                rows.add(row);
            }
            rows.sort(Comparator.comparing((Map<String, Object> r) -> date(str(r.get("execution_date")),
                    "execution_date")).reversed());
            rows(List.of("dag_id", "run_id", "state", "execution_date", "start_date", "end_date"), rows);
        }
    }

    /** The --conf text as a JSON object, checked before any request. */
    static Map<String, Object> conf(String text) {
        return jsonObject("--conf", text);
    }

    /** An option's value that must be a JSON object; null when the option is absent. */
    static Map<String, Object> jsonObject(String option, String text) {
        if (text == null) {
            return null;
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.ParseException e) {
            throw new CliException(CliException.USAGE, option + " is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?>)) {
            throw new CliException(CliException.USAGE, option + " must be a JSON object, e.g. '{\"key\": 1}'");
        }
        return map(parsed);
    }

    @Command(name = "trigger", description = "Trigger a run of a DAG; prints the run id.",
            mixinStandardHelpOptions = true)
    static final class DagsTrigger extends Base {
        @Parameters(index = "0", paramLabel = "DAG_ID", description = "The DAG.")
        String dagId;
        @Option(names = {"-c", "--conf"}, paramLabel = "JSON", description = "The run's conf, a JSON object.")
        String conf;
        @Option(names = {"-r", "--run-id"}, paramLabel = "RUN_ID", description = "The run id (default: "
                + "manual__<logical date>).")
        String runId;
        @Option(names = {"-e", "--exec-date"}, paramLabel = "DATE", description = "The logical date (default: now).")
        String execDate;
        @Option(names = "--no-replace-microseconds", description = "Keep the logical date's microseconds.")
        boolean noReplaceMicroseconds;

        @Override
        public Integer call() {
            Map<String, Object> parsedConf = conf(conf); // before any request
            OffsetDateTime logical = execDate == null ? OffsetDateTime.now(ZoneOffset.UTC)
                    : date(execDate, "--exec-date");
            logical = noReplaceMicroseconds ? logical.truncatedTo(ChronoUnit.MICROS)
                    : logical.truncatedTo(ChronoUnit.SECONDS);
            Map<String, Object> body = Json.toMap(new TriggerDagRun(runId, iso(logical), null, null, null,
                    parsedConf, null));
            body.values().removeIf(v -> v == null);
            Map<String, Object> run = map(common.client().post("/dags/" + seg(dagId) + "/dagRuns", body));
            if (common.structured()) {
                Output.value(out(), common.output, run);
            } else {
                out().println(run.get("dag_run_id"));
            }
            return 0;
        }

        @Override
        void execute(WeftClient api) {
            throw new UnsupportedOperationException();
        }
    }

    abstract static class PauseBase extends Base {
        @Parameters(index = "0", paramLabel = "DAG_ID", description = "The DAG.")
        String dagId;

        void set(WeftClient api, boolean paused) {
            Map<String, Object> dag = map(api.get("/dags/" + seg(dagId)));
            if (Boolean.valueOf(paused).equals(dag.get("is_paused"))) {
                out().println(paused ? "No unpaused DAGs were found" : "No paused DAGs were found");
                return;
            }
            Map<String, Object> now = map(api.patch("/dags/" + seg(dagId) + "?update_mask=is_paused",
                    WeftClient.map("is_paused", paused)));
            rows(List.of("dag_id", "is_paused"), List.of(now));
        }
    }

    @Command(name = "pause", description = "Pause a DAG.", mixinStandardHelpOptions = true)
    static final class DagsPause extends PauseBase {
        @Override
        void execute(WeftClient api) {
            set(api, true);
        }
    }

    @Command(name = "unpause", description = "Resume a paused DAG.", mixinStandardHelpOptions = true)
    static final class DagsUnpause extends PauseBase {
        @Override
        void execute(WeftClient api) {
            set(api, false);
        }
    }

    @Command(name = "state", description = "The state of the run at a logical date (None if there is none).",
            mixinStandardHelpOptions = true)
    static final class DagsState extends Base {
        @Parameters(index = "0", paramLabel = "DAG_ID")
        String dagId;
        @Parameters(index = "1", paramLabel = "LOGICAL_DATE")
        String logicalDate;

        @Override
        void execute(WeftClient api) {
            String d = iso(date(logicalDate, "LOGICAL_DATE"));
            List<Object> runs = api.getAll("/dags/" + seg(dagId) + "/dagRuns"
                    + query("execution_date_gte", d, "execution_date_lte", d), "dag_runs");
            Object state = runs.isEmpty() ? null : map(runs.get(0)).get("state");
            if (common.structured()) {
                Output.value(out(), common.output, WeftClient.map("dag_id", dagId, "logical_date", d, "state", state));
            } else {
                out().println(state == null ? "None" : state);
            }
        }
    }

    @Command(name = "list-import-errors", description = "List the DAG definitions that could not be loaded.",
            mixinStandardHelpOptions = true)
    static final class DagsListImportErrors extends Base {
        @Override
        void execute(WeftClient api) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map<String, Object> e : maps(api.getAll("/importErrors", "import_errors"))) {
                rows.add(WeftClient.map("filepath", e.get("filename"), "error", e.get("stack_trace"),
                        "timestamp", e.get("timestamp")));
            }
            rows(List.of("filepath", "error"), rows);
        }
    }

    // ---------------------------------------------------------------- tasks

    @Command(name = "tasks", description = "Manage tasks and task instances.", mixinStandardHelpOptions = true)
    static final class Tasks extends Group {
    }

    static List<String> taskIds(WeftClient api, String dagId) {
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> t : maps(api.getAll("/dags/" + seg(dagId) + "/tasks", "tasks"))) {
            ids.add(str(t.get("task_id")));
        }
        ids.sort(null);
        return ids;
    }

    @Command(name = "list", description = "The task ids of a DAG, sorted, one per line (--tree: as a dependency "
            + "tree).", mixinStandardHelpOptions = true)
    static final class TasksList extends Base {
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
    static final class TasksStatesForDagRun extends Base {
        @Parameters(index = "0", paramLabel = "DAG_ID")
        String dagId;
        @Parameters(index = "1", paramLabel = "RUN_ID")
        String runId;

        @Override
        void execute(WeftClient api) {
            List<Map<String, Object>> tis = maps(api.getAll("/dags/" + seg(dagId) + "/dagRuns/" + seg(runId)
                    + "/taskInstances", "task_instances"));
            tis.sort(Comparator.comparing(t -> str(t.get("task_id"))));
            rows(List.of("dag_id", "execution_date", "task_id", "state", "start_date", "end_date"), tis);
        }
    }

    @Command(name = "state", description = "The state of one task instance.", mixinStandardHelpOptions = true)
    static final class TasksState extends Base {
        @Parameters(index = "0", paramLabel = "DAG_ID")
        String dagId;
        @Parameters(index = "1", paramLabel = "TASK_ID")
        String taskId;
        @Parameters(index = "2", paramLabel = "RUN_ID")
        String runId;

        @Override
        void execute(WeftClient api) {
            Map<String, Object> ti = map(api.get("/dags/" + seg(dagId) + "/dagRuns/" + seg(runId)
                    + "/taskInstances/" + seg(taskId)));
            if (common.structured()) {
                Output.value(out(), common.output, WeftClient.map("dag_id", dagId, "dag_run_id", runId, "task_id", taskId,
                        "state", ti.get("state")));
            } else {
                out().println(ti.get("state") == null ? "None" : ti.get("state"));
            }
        }
    }

    @Command(name = "clear", description = "Clear task instances so that they run again. Without -y, shows what "
            + "would be cleared (a dry run) and asks.", mixinStandardHelpOptions = true)
    static final class TasksClear extends Base {
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

        @Override
        void execute(WeftClient api) {
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
            String path = "/dags/" + seg(dagId) + "/clearTaskInstances";
            List<Map<String, Object>> would = cleared(api.post(path, body(true, tasks, s, e)));
            if (would.isEmpty()) {
                out().println("No task instances to clear");
                return;
            }
            if (!yes) {
                out().println("Task instances that would be cleared:");
                rows(List.of("dag_id", "dag_run_id", "task_id", "execution_date"), would);
                if (!confirm(out(), "Clear these " + would.size() + " task instance(s)? [y/n] ")) {
                    out().println("Cancelled, nothing was cleared.");
                    return;
                }
            }
            List<Map<String, Object>> done = cleared(api.post(path, body(false, tasks, s, e)));
            if (common.structured()) {
                rows(List.of("dag_id", "dag_run_id", "task_id", "execution_date"), done);
            } else {
                out().println("Cleared " + done.size() + " task instance(s).");
            }
        }

        private Map<String, Object> body(boolean dryRun, List<String> tasks, String s, String e) {
            Map<String, Object> b = Json.toMap(new ClearTaskInstances(dryRun, tasks, s, e, onlyFailed, onlyRunning,
                    null, null, true, null, upstream, downstream, null, null));
            b.values().removeIf(v -> v == null);
            return b;
        }

        private static List<Map<String, Object>> cleared(Object reply) {
            Object tis = reply == null ? null : map(reply).get("task_instances");
            return tis == null ? List.of() : maps(castList(tis));
        }

        @SuppressWarnings("unchecked")
        private static List<Object> castList(Object o) {
            return (List<Object>) o;
        }

    }

    @Command(name = "logs", description = {"Print the log of a task instance (the latest try unless --try).",
            "With -f, keeps printing new lines until the try is over, then exits 0 if it succeeded (or was skipped) "
                    + "and 1 if it failed."}, mixinStandardHelpOptions = true)
    static final class TasksLogs extends Base {
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
                Object t = map(api.get(ti)).get("try_number");
                n = t instanceof Number num ? Math.max(1, num.intValue()) : 1;
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
                Map<String, Object> chunk = map(api.get(ti + "/logs/" + n + WeftClient.query("token", token)));
                String content = str(chunk.get("content"));
                if (content != null && !content.isEmpty()) {
                    out().print(content);
                    out().flush();
                }
                token = str(chunk.get("continuation_token"));
                if (token == null || endOfLog(token)) {
                    break;
                }
                if (content == null || content.isEmpty()) {
                    // A failed try waiting for its retry has ended too, though the task instance is not finished.
                    Map<String, Object> now = map(api.get(ti));
                    if ("up_for_retry".equals(now.get("state")) && now.get("try_number") instanceof Number t
                            && t.intValue() == n) {
                        break;
                    }
                    sleep();
                }
            }
            Map<String, Object> now = map(api.get(ti));
            Object state = now.get("state");
            boolean later = now.get("try_number") instanceof Number t && t.intValue() > n;
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

    // ---------------------------------------------------------------- pools, plugins, version

    @Command(name = "pools", description = "Pools.", mixinStandardHelpOptions = true)
    static final class Pools extends Group {
    }

    @Command(name = "list", description = "List the pools.", mixinStandardHelpOptions = true)
    static final class PoolsList extends Base {
        @Override
        void execute(WeftClient api) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Object p : api.getAll("/pools", "pools")) {
                rows.add(AdminCommands.poolRow(p));
            }
            rows(AdminCommands.POOL_COLUMNS, rows);
        }
    }

    @Command(name = "plugins", description = "Plugins.", mixinStandardHelpOptions = true)
    static final class Plugins extends Group {
    }

    @Command(name = "list", description = "List the plugins the server loaded.", mixinStandardHelpOptions = true)
    static final class PluginsList extends Base {
        @Override
        void execute(WeftClient api) {
            List<Map<String, Object>> plugins = maps(api.getAll("/plugins", "plugins"));
            plugins.sort(Comparator.comparing(p -> String.valueOf(p.get("name"))));
            rows(List.of("name", "source", "hooks", "macros", "timetables"), plugins);
        }
    }

    @Command(name = "version", description = "The version of the Weft server (and of this client).",
            mixinStandardHelpOptions = true)
    static final class Version extends Base {
        @Override
        void execute(WeftClient api) {
            Map<String, Object> v = map(api.get("/version"));
            String client = new ClientVersion().getVersion()[0].substring("weft-cli ".length());
            if (common.structured()) {
                Output.value(out(), common.output, WeftClient.map("version", v.get("version"), "git_version",
                        v.get("git_version"), "client_version", client));
            } else {
                out().println(v.get("version"));
            }
        }
    }
}
