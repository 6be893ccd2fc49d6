package dev.weft.cli;

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
            List<Map<String, Object>> dags = Json.objects(api.getAll("/dags", "dags"));
            dags.sort(Comparator.comparing(d -> Json.text(d.get("dag_id"))));
            rows(List.of("dag_id", "fileloc", "owners", "is_paused"), dags);
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
            List<Map<String, Object>> runs = Json.objects(api.getAll("/dags/" + seg(dagId) + "/dagRuns" + q, "dag_runs"));
            if (noBackfill) {
                runs.removeIf(r -> "backfill".equals(r.get("run_type")));
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map<String, Object> r : runs) {
                Map<String, Object> row = new LinkedHashMap<>(r);
                row.put("run_id", r.get("dag_run_id"));
                rows.add(row);
            }
            rows.sort(Comparator.comparing((Map<String, Object> r) -> date(Json.text(r.get("execution_date")),
                    "execution_date")).reversed());
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
            Map<String, Object> body = Json.toMap(new TriggerDagRun(runId, iso(logical), null, null, null,
                    parsedConf, null));
            body.values().removeIf(v -> v == null);
            Map<String, Object> run = Json.object(common.client().post("/dags/" + seg(dagId) + "/dagRuns", body));
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

    abstract static class PauseBase extends ApiCommand {
        @Parameters(index = "0", paramLabel = "DAG_ID", description = "The DAG.")
        String dagId;

        void set(WeftClient api, boolean paused) {
            Map<String, Object> dag = Json.object(api.get("/dags/" + seg(dagId)));
            if (Boolean.valueOf(paused).equals(dag.get("is_paused"))) {
                out().println(paused ? "No unpaused DAGs were found" : "No paused DAGs were found");
                return;
            }
            Map<String, Object> now = Json.object(api.patch("/dags/" + seg(dagId) + "?update_mask=is_paused",
                    WeftClient.map("is_paused", paused)));
            rows(List.of("dag_id", "is_paused"), List.of(now));
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
            List<Object> runs = api.getAll("/dags/" + seg(dagId) + "/dagRuns"
                    + query("execution_date_gte", d, "execution_date_lte", d), "dag_runs");
            Object state = runs.isEmpty() ? null : Json.object(runs.get(0)).get("state");
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
            for (Map<String, Object> e : Json.objects(api.getAll("/importErrors", "import_errors"))) {
                rows.add(WeftClient.map("filepath", e.get("filename"), "error", e.get("stack_trace"),
                        "timestamp", e.get("timestamp")));
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
            Map<String, Object> dag = Json.object(api.get("/dags/" + seg(dagId)));
            if (Boolean.TRUE.equals(dag.get("is_paused"))) {
                System.err.println("weft: note: the DAG " + dagId + " is paused: no run is created until it is "
                        + "unpaused");
            }
            if (common.structured()) {
                Output.value(out(), common.output, WeftClient.map("dag_id", dagId, "is_paused", dag.get("is_paused"),
                        "next_dagrun", dag.get("next_dagrun"),
                        "next_dagrun_data_interval_start", dag.get("next_dagrun_data_interval_start"),
                        "next_dagrun_data_interval_end", dag.get("next_dagrun_data_interval_end"),
                        "next_dagrun_create_after", dag.get("next_dagrun_create_after")));
            } else {
                Object next = dag.get("next_dagrun");
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
                List<Map<String, Object>> plan = runs(api.post(path, body(true, s, e, parsedConf)));
                if (plan.isEmpty()) {
                    out().println("No schedule points between " + s + " and " + e + ": nothing to backfill");
                    return 0;
                }
                if (!dryRun) {
                    out().println("Backfill of " + dagId + " that would be done:");
                }
                rows(COLUMNS, plan);
                if (dryRun) {
                    return 0;
                }
                if (!Prompts.confirm(out(), "Backfill these " + plan.size() + " run(s)? [y/n] ")) {
                    out().println("Cancelled, nothing was changed.");
                    return 0;
                }
            }
            List<Map<String, Object>> done = runs(api.post(path, body(false, s, e, parsedConf)));
            if (common.structured()) {
                rows(COLUMNS, done);
            } else {
                long created = done.stream().filter(r -> "created".equals(r.get("action"))).count();
                long cleared = done.stream().filter(r -> "cleared".equals(r.get("action"))).count();
                out().println("Backfill of " + dagId + ": " + done.size() + " run(s), " + created + " created, "
                        + cleared + " cleared, " + (done.size() - created - cleared) + " reused as they were.");
                rows(COLUMNS, done);
            }
            return 0;
        }

        private Map<String, Object> body(boolean dry, String s, String e, Map<String, Object> parsedConf) {
            Map<String, Object> b = WeftClient.map("start_date", s, "end_date", e, "reset_dag_runs", resetDagRuns,
                    "rerun_failed_tasks", rerunFailedTasks, "dry_run", dry, "conf", parsedConf);
            b.values().removeIf(v -> v == null);
            return b;
        }

        private static List<Map<String, Object>> runs(Object reply) {
            Object runs = reply == null ? null : Json.object(reply).get("dag_runs");
            return runs instanceof List<?> l ? Json.objects(new ArrayList<>(l)) : List.of();
        }

        @Override
        void execute(WeftClient api) {
            throw new UnsupportedOperationException();
        }
    }

    /** Task id → downstream task ids, from the DAG's tasks endpoint. */
    static Map<String, List<String>> graph(WeftClient api, String dagId) {
        Map<String, List<String>> g = new LinkedHashMap<>();
        for (Map<String, Object> t : Json.objects(api.getAll("/dags/" + seg(dagId) + "/tasks", "tasks"))) {
            List<String> next = new ArrayList<>();
            if (t.get("downstream_task_ids") instanceof List<?> l) {
                l.forEach(o -> next.add(Json.text(o)));
            }
            g.put(Json.text(t.get("task_id")), next);
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
