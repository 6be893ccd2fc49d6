package dev.weft.cli;

import dev.weft.api.model.BackfillBody;
import dev.weft.api.model.BackfillResult;
import dev.weft.api.model.Dag;
import dev.weft.api.model.DagCollection;
import dev.weft.api.model.DagRun;
import dev.weft.api.model.DagRunCollection;
import dev.weft.api.model.ImportError;
import dev.weft.api.model.ImportErrorCollection;
import dev.weft.api.model.Task;
import dev.weft.api.model.TaskCollection;
import dev.weft.api.model.TriggerDagRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.weft.cli.OptionValues.date;
import static dev.weft.cli.OptionValues.iso;
import static dev.weft.cli.OptionValues.isoOrNull;
import static dev.weft.cli.WeftClient.query;
import static dev.weft.cli.WeftClient.seg;

/** {@code weft dags ...}: DAGs, their runs, backfills and graphs. */
final class DagCommands {
    static final WeftCli.Noun NOUN = new WeftCli.Noun(Dags.class, List.of(List_.class, ListRuns.class, Trigger.class,
            Pause.class, Unpause.class, State.class, NextExecution.class, ListImportErrors.class, Backfill.class,
            Show.class));

    private DagCommands() {
    }

    @Command(name = "dags", description = "Manage DAGs.", mixinStandardHelpOptions = true)
    static final class Dags extends GroupCommand {
    }

    @Command(name = "list", description = "List the DAGs, sorted by DAG id.", mixinStandardHelpOptions = true)
    static final class List_ extends ApiCommand {
        @Override
        void execute(WeftClient api) {
            List<Dag> dags = new ArrayList<>(api.getAll("/dags", DagCollection.class, DagCollection::dags));
            dags.sort(Comparator.comparing(Dag::dagId));
            recordRows(List.of("dag_id", "fileloc", "owners", "is_paused"), dags);
        }
    }

    @Command(name = "list-runs", description = "List the runs of a DAG, newest logical date first.",
            mixinStandardHelpOptions = true)
    static final class ListRuns extends ApiCommand {
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
            List<DagRun> runs = new ArrayList<>(api.getAll("/dags/" + seg(dagId) + "/dagRuns" + q,
                    DagRunCollection.class, DagRunCollection::dagRuns));
            if (noBackfill) {
                runs.removeIf(r -> "backfill".equals(r.runType()));
            }
            runs.sort(Comparator.comparing((DagRun r) -> date(r.executionDate(), "execution_date")).reversed());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (DagRun r : runs) {
                Map<String, Object> row = Json.toMap(r);
                row.put("run_id", r.dagRunId());
                rows.add(row);
            }
            rows(List.of("dag_id", "run_id", "state", "execution_date", "start_date", "end_date"), rows);
        }
    }

    @Command(name = "trigger", description = "Trigger a run of a DAG; prints the run id.",
            mixinStandardHelpOptions = true)
    static final class Trigger extends ApiCommand {
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
            Map<String, Object> parsedConf = OptionValues.conf(conf); // before any request
            OffsetDateTime logical = execDate == null ? OffsetDateTime.now(ZoneOffset.UTC)
                    : date(execDate, "--exec-date");
            logical = noReplaceMicroseconds ? logical.truncatedTo(ChronoUnit.MICROS)
                    : logical.truncatedTo(ChronoUnit.SECONDS);
            Map<String, Object> body = Json.body(new TriggerDagRun(runId, iso(logical), null, null, null,
                    parsedConf, null));
            Object run = common.client().post("/dags/" + seg(dagId) + "/dagRuns", body);
            if (common.structured()) {
                Output.value(out(), common.output, run); // the run as the server sent it
            } else {
                out().println(Json.as(DagRun.class, run).dagRunId());
            }
            return 0;
        }

        @Override
        void execute(WeftClient api) {
            throw new UnsupportedOperationException();
        }
    }

    abstract static class PauseBase extends ApiCommand {
        @Parameters(index = "0", paramLabel = "DAG_ID", description = "The DAG.")
        String dagId;

        void set(WeftClient api, boolean paused) {
            Dag dag = api.get("/dags/" + seg(dagId), Dag.class);
            if (Boolean.valueOf(paused).equals(dag.isPaused())) {
                out().println(paused ? "No unpaused DAGs were found" : "No paused DAGs were found");
                return;
            }
            Dag now = Json.as(Dag.class, api.patch("/dags/" + seg(dagId) + "?update_mask=is_paused",
                    WeftClient.map("is_paused", paused)));
            recordRows(List.of("dag_id", "is_paused"), List.of(now));
        }
    }

    @Command(name = "pause", description = "Pause a DAG.", mixinStandardHelpOptions = true)
    static final class Pause extends PauseBase {
        @Override
        void execute(WeftClient api) {
            set(api, true);
        }
    }

    @Command(name = "unpause", description = "Resume a paused DAG.", mixinStandardHelpOptions = true)
    static final class Unpause extends PauseBase {
        @Override
        void execute(WeftClient api) {
            set(api, false);
        }
    }

    @Command(name = "state", description = "The state of the run at a logical date (None if there is none).",
            mixinStandardHelpOptions = true)
    static final class State extends ApiCommand {
        @Parameters(index = "0", paramLabel = "DAG_ID")
        String dagId;
        @Parameters(index = "1", paramLabel = "LOGICAL_DATE")
        String logicalDate;

        @Override
        void execute(WeftClient api) {
            String d = iso(date(logicalDate, "LOGICAL_DATE"));
            List<DagRun> runs = api.getAll("/dags/" + seg(dagId) + "/dagRuns"
                    + query("execution_date_gte", d, "execution_date_lte", d), DagRunCollection.class,
                    DagRunCollection::dagRuns);
            String state = runs.isEmpty() ? null : runs.get(0).state();
            if (common.structured()) {
                Output.value(out(), common.output, WeftClient.map("dag_id", dagId, "logical_date", d, "state", state));
            } else {
                out().println(state == null ? "None" : state);
            }
        }
    }

    @Command(name = "list-import-errors", description = "List the DAG definitions that could not be loaded.",
            mixinStandardHelpOptions = true)
    static final class ListImportErrors extends ApiCommand {
        @Override
        void execute(WeftClient api) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ImportError e : api.getAll("/importErrors", ImportErrorCollection.class,
                    ImportErrorCollection::importErrors)) {
                rows.add(WeftClient.map("filepath", e.filename(), "error", e.stackTrace(), "timestamp", e.timestamp()));
            }
            rows(List.of("filepath", "error"), rows);
        }
    }

    @Command(name = "next-execution", description = "The logical date of the DAG's next scheduled run (None if it "
            + "has none).", mixinStandardHelpOptions = true)
    static final class NextExecution extends ApiCommand {
        @Parameters(index = "0", paramLabel = "DAG_ID")
        String dagId;

        @Override
        void execute(WeftClient api) {
            Dag dag = api.get("/dags/" + seg(dagId), Dag.class);
            if (Boolean.TRUE.equals(dag.isPaused())) {
                System.err.println("weft: note: the DAG " + dagId + " is paused: no run is created until it is "
                        + "unpaused");
            }
            if (common.structured()) {
                Output.value(out(), common.output, WeftClient.map("dag_id", dagId, "is_paused", dag.isPaused(),
                        "next_dagrun", dag.nextDagrun(),
                        "next_dagrun_data_interval_start", dag.nextDagrunDataIntervalStart(),
                        "next_dagrun_data_interval_end", dag.nextDagrunDataIntervalEnd(),
                        "next_dagrun_create_after", dag.nextDagrunCreateAfter()));
            } else {
                String next = dag.nextDagrun();
                out().println(next == null ? "None" : next);
            }
        }
    }

    @Command(name = "backfill", description = {"Create one backfill run per schedule point whose logical date lies "
            + "in [START, END] (both included), whatever the DAG's catchup and pause state; the scheduler runs them. "
            + "A run that already exists at such a date is reused.",
            "Without -y, shows what it would do (a dry run) and asks."}, mixinStandardHelpOptions = true)
    static final class Backfill extends ApiCommand {
        @Parameters(index = "0", paramLabel = "DAG_ID")
        String dagId;
        @Option(names = {"-s", "--start-date"}, paramLabel = "DATE", description = "The first logical date (default: "
                + "the end date).")
        String start;
        @Option(names = {"-e", "--end-date"}, paramLabel = "DATE", description = "The last logical date (default: "
                + "the start date).")
        String end;
        @Option(names = "--reset-dagruns", description = "Clear every task instance of runs that already exist in "
                + "the range, so they run again.")
        boolean resetDagRuns;
        @Option(names = "--rerun-failed-tasks", description = "Clear the failed and upstream_failed task instances of "
                + "runs that already exist in the range.")
        boolean rerunFailedTasks;
        @Option(names = {"-c", "--conf"}, paramLabel = "JSON", description = "The conf of the runs created, a JSON "
                + "object (existing runs keep theirs).")
        String conf;
        @Option(names = {"-n", "--dry-run"}, description = "Only show what would be done.")
        boolean dryRun;
        @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
        boolean yes;

        private static final List<String> COLUMNS = List.of("dag_run_id", "run_type", "logical_date", "action", "state",
                "cleared_task_instances");

        @Override
        public Integer call() {
            Map<String, Object> parsedConf = OptionValues.conf(conf); // before any request
            if (start == null && end == null) {
                throw new CliException(CliException.USAGE, "give the range to backfill: -s/--start-date and/or "
                        + "-e/--end-date (one alone means that single date)");
            }
            String s = OptionValues.isoOrNull(start != null ? start : end, "--start-date");
            String e = OptionValues.isoOrNull(end != null ? end : start, "--end-date");
            if (resetDagRuns && rerunFailedTasks) {
                throw new CliException(CliException.USAGE, "--reset-dagruns already clears every task instance: "
                        + "use it or --rerun-failed-tasks, not both");
            }
            WeftClient api = common.client();
            String path = "/weft/dags/" + seg(dagId) + "/backfills";
            if (dryRun || !yes) {
                List<BackfillResult.Run> plan = runs(api.post(path, body(true, s, e, parsedConf)));
                if (plan.isEmpty()) {
                    out().println("No schedule points between " + s + " and " + e + ": nothing to backfill");
                    return 0;
                }
                if (!dryRun) {
                    out().println("Backfill of " + dagId + " that would be done:");
                }
                recordRows(COLUMNS, plan);
                if (dryRun) {
                    return 0;
                }
                if (!Prompts.confirm(out(), "Backfill these " + plan.size() + " run(s)? [y/n] ")) {
                    out().println("Cancelled, nothing was changed.");
                    return 0;
                }
            }
            List<BackfillResult.Run> done = runs(api.post(path, body(false, s, e, parsedConf)));
            if (!common.structured()) {
                long created = done.stream().filter(r -> "created".equals(r.action())).count();
                long cleared = done.stream().filter(r -> "cleared".equals(r.action())).count();
                out().println("Backfill of " + dagId + ": " + done.size() + " run(s), " + created + " created, "
                        + cleared + " cleared, " + (done.size() - created - cleared) + " reused as they were.");
            }
            recordRows(COLUMNS, done);
            return 0;
        }

        private Map<String, Object> body(boolean dry, String s, String e, Map<String, Object> parsedConf) {
            return Json.body(new BackfillBody(s, e, resetDagRuns, rerunFailedTasks, dry, parsedConf));
        }

        private static List<BackfillResult.Run> runs(Object reply) {
            List<BackfillResult.Run> runs = reply == null ? null : Json.as(BackfillResult.class, reply).dagRuns();
            return runs == null ? List.of() : runs;
        }

        @Override
        void execute(WeftClient api) {
            throw new UnsupportedOperationException();
        }
    }

    /** Task id → downstream task ids, from the DAG's tasks endpoint. */
    static Map<String, List<String>> graph(WeftClient api, String dagId) {
        Map<String, List<String>> g = new LinkedHashMap<>();
        for (Task t : api.getAll("/dags/" + seg(dagId) + "/tasks", TaskCollection.class, TaskCollection::tasks)) {
            g.put(t.taskId(), t.downstreamTaskIds() == null ? new ArrayList<>() : t.downstreamTaskIds());
        }
        return g;
    }

    @Command(name = "show", description = "The DAG's task graph as text: tasks layered by depth, each with the tasks "
            + "it leads to.", mixinStandardHelpOptions = true)
    static final class Show extends ApiCommand {
        @Parameters(index = "0", paramLabel = "DAG_ID")
        String dagId;

        @Override
        void execute(WeftClient api) {
            Map<String, List<String>> g = graph(api, dagId);
            if (common.structured()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                g.keySet().stream().sorted().forEach(id -> rows.add(WeftClient.map("task_id", id,
                        "downstream_task_ids", g.get(id).stream().sorted().toList())));
                Output.value(out(), common.output, WeftClient.map("dag_id", dagId, "tasks", rows));
            } else {
                out().print(GraphText.layers(dagId, g));
            }
        }
    }
}
