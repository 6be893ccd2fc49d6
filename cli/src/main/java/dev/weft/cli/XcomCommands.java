package dev.weft.cli;

import dev.weft.api.model.XCom;
import dev.weft.api.model.XComCollection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

import static dev.weft.cli.WeftClient.seg;

/**
 * {@code weft xcom list|get}: the XComs of a run's task instances, read through the REST API's XCom entries (Airflow
 * has no XCom command; its UI and API are where they are read).
 */
final class XcomCommands {
    static final WeftCli.Noun NOUN = new WeftCli.Noun(Xcom.class, List.of(List_.class, Get.class));
    private static final String RETURN_VALUE = "return_value";

    private XcomCommands() {
    }

    @Command(name = "xcom", description = "Read the XComs of task instances (what tasks returned and pushed).",
            mixinStandardHelpOptions = true)
    static final class Xcom extends GroupCommand {
    }

    @Command(name = "list", description = "List the XCom keys of a run's task (or of all its tasks, '~').",
            mixinStandardHelpOptions = true)
    static final class List_ extends ApiCommand {
        @Parameters(index = "0", paramLabel = "DAG_ID")
        String dagId;
        @Parameters(index = "1", paramLabel = "RUN_ID")
        String runId;
        @Parameters(index = "2", paramLabel = "TASK_ID", defaultValue = "~",
                description = "The task (default: every task of the run).")
        String taskId;
        @Option(names = {"-k", "--key"}, paramLabel = "KEY", description = "Only XComs with this key.")
        String key;

        @Override
        void execute(WeftClient api) {
            String path = entries(dagId, runId, taskId) + (key == null ? "" : "?xcom_key=" + seg(key));
            recordRows(List.of("task_id", "key", "timestamp"), api.getAll(path, XComCollection.class,
                    XComCollection::xcomEntries));
        }
    }

    @Command(name = "get", description = "Print an XCom's value (default key: return_value, the task's return "
            + "value).", mixinStandardHelpOptions = true)
    static final class Get extends ApiCommand {
        @Parameters(index = "0", paramLabel = "DAG_ID")
        String dagId;
        @Parameters(index = "1", paramLabel = "RUN_ID")
        String runId;
        @Parameters(index = "2", paramLabel = "TASK_ID")
        String taskId;
        @Parameters(index = "3", paramLabel = "KEY", defaultValue = RETURN_VALUE)
        String key;
        @Option(names = {"-j", "--json"}, description = "Print the value as JSON (text quoted) instead of as text.")
        boolean json;

        @Override
        void execute(WeftClient api) {
            XCom entry;
            try {
                entry = api.get(entries(dagId, runId, taskId) + "/" + seg(key) + "?stringify=false", XCom.class);
            } catch (CliException e) {
                throw e.exitCode == CliException.NOT_FOUND ? new CliException(CliException.NOT_FOUND, "Task "
                        + taskId + " of run " + runId + " of DAG " + dagId + " has no XCom " + key + " (list them"
                        + " with: weft xcom list " + dagId + " " + runId + " " + taskId + ")") : e;
            }
            Object value = entry.value();
            if (common.structured()) {
                Output.value(out(), common.output, Json.toMap(entry));
            } else {
                out().println(json || !(value instanceof String) ? Json.pretty(value) : value);
            }
        }
    }

    private static String entries(String dagId, String runId, String taskId) {
        return "/dags/" + seg(dagId) + "/dagRuns/" + seg(runId) + "/taskInstances/" + seg(taskId) + "/xcomEntries";
    }
}
