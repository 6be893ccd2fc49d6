package dev.weft.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.weft.cli.WeftCli.map;
import static dev.weft.cli.WeftCli.maps;
import static dev.weft.cli.WeftCli.str;
import static dev.weft.cli.WeftClient.seg;

/** {@code dags next-execution}, {@code dags backfill}, {@code dags show}. */
final class DagCommands {
    private DagCommands() {
    }

    @Command(name = "next-execution", description = "The logical date of the DAG's next scheduled run (None if it "
            + "has none).", mixinStandardHelpOptions = true)
    static final class NextExecution extends WeftCli.Base {
        @Parameters(index = "0", paramLabel = "DAG_ID")
        String dagId;

        @Override
        void execute(WeftClient api) {
            Map<String, Object> dag = map(api.get("/dags/" + seg(dagId)));
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
    static final class Backfill extends WeftCli.Base {
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
            Map<String, Object> parsedConf = WeftCli.conf(conf); // before any request
            if (start == null && end == null) {
                throw new CliException(CliException.USAGE, "give the range to backfill: -s/--start-date and/or "
                        + "-e/--end-date (one alone means that single date)");
            }
            String s = WeftCli.isoOrNull(start != null ? start : end, "--start-date");
            String e = WeftCli.isoOrNull(end != null ? end : start, "--end-date");
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
                if (!WeftCli.confirm(out(), "Backfill these " + plan.size() + " run(s)? [y/n] ")) {
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
            Object runs = reply == null ? null : map(reply).get("dag_runs");
            return runs instanceof List<?> l ? maps(new ArrayList<>(l)) : List.of();
        }

        @Override
        void execute(WeftClient api) {
            throw new UnsupportedOperationException();
        }
    }

    /** Task id → downstream task ids, from the DAG's tasks endpoint. */
    static Map<String, List<String>> graph(WeftClient api, String dagId) {
        Map<String, List<String>> g = new LinkedHashMap<>();
        for (Map<String, Object> t : maps(api.getAll("/dags/" + seg(dagId) + "/tasks", "tasks"))) {
            List<String> next = new ArrayList<>();
            if (t.get("downstream_task_ids") instanceof List<?> l) {
                l.forEach(o -> next.add(str(o)));
            }
            g.put(str(t.get("task_id")), next);
        }
        return g;
    }

    @Command(name = "show", description = "The DAG's task graph as text: tasks layered by depth, each with the tasks "
            + "it leads to.", mixinStandardHelpOptions = true)
    static final class Show extends WeftCli.Base {
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
