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

/** {@code weft datasets list|events|emit}: datasets, their events, and events from external producers. */
final class DatasetCommands {
    private DatasetCommands() {
    }

    @Command(name = "datasets", description = "Datasets, their events, and posting an event.",
            mixinStandardHelpOptions = true)
    static final class Datasets extends WeftCli.Group {
    }

    @Command(name = "list", description = "List the datasets with the DAGs scheduled on them and the tasks that "
            + "update them.", mixinStandardHelpOptions = true)
    static final class List_ extends WeftCli.Base {
        @Option(names = "--uri-pattern", paramLabel = "TEXT", description = "Only datasets whose URI contains TEXT.")
        String uriPattern;

        @Override
        void execute(WeftClient api) {
            String query = "/datasets?order_by=uri" + (uriPattern == null ? "" : "&uri_pattern=" + seg(uriPattern));
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map<String, Object> d : maps(api.getAll(query, "datasets"))) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("uri", d.get("uri"));
                row.put("consuming_dags", String.join(", ", maps(list(d.get("consuming_dags"))).stream()
                        .map(c -> str(c.get("dag_id"))).toList()));
                row.put("producing_tasks", String.join(", ", maps(list(d.get("producing_tasks"))).stream()
                        .map(t -> t.get("dag_id") + "." + t.get("task_id")).toList()));
                rows.add(row);
            }
            rows(List.of("uri", "consuming_dags", "producing_tasks"), rows);
        }
    }

    @Command(name = "events", description = "List dataset events, newest first, with the runs that consumed them.",
            mixinStandardHelpOptions = true)
    static final class Events extends WeftCli.Base {
        @Parameters(index = "0", arity = "0..1", paramLabel = "URI", description = "Only this dataset's events.")
        String uri;
        @Option(names = "--limit", paramLabel = "N", defaultValue = "25", description = "At most N events "
                + "(default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        void execute(WeftClient api) {
            String query = "/datasets/events?order_by=-timestamp&limit=" + limit;
            if (uri != null) {
                query += "&dataset_id=" + datasetId(api, uri);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map<String, Object> e : maps(list(map(api.get(query)).get("dataset_events")))) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("timestamp", e.get("timestamp"));
                row.put("dataset_uri", e.get("dataset_uri"));
                row.put("source", e.get("source_dag_id") == null ? "external"
                        : e.get("source_dag_id") + "." + e.get("source_task_id") + " " + e.get("source_run_id"));
                row.put("extra", Json.write(e.get("extra")));
                row.put("created_runs", String.join(", ", maps(list(e.get("created_dagruns"))).stream()
                        .map(r -> r.get("dag_id") + " " + r.get("run_id")).toList()));
                rows.add(row);
            }
            rows(List.of("timestamp", "dataset_uri", "source", "extra", "created_runs"), rows);
        }

        /** The id of the dataset with exactly this URI (the events filter takes ids). */
        private static String datasetId(WeftClient api, String uri) {
            for (Map<String, Object> d : maps(api.getAll("/datasets?uri_pattern=" + seg(uri), "datasets"))) {
                if (uri.equals(d.get("uri"))) {
                    return str(d.get("id"));
                }
            }
            throw new CliException(CliException.NOT_FOUND, "Dataset " + uri + " does not exist (a DAG must name it"
                    + " in its outlets or its schedule; see weft datasets list)");
        }
    }

    @Command(name = "emit", description = "Record an event of a dataset, as an external producer: the DAGs "
            + "scheduled on it may start.", mixinStandardHelpOptions = true)
    static final class Emit extends WeftCli.Base {
        @Parameters(index = "0", paramLabel = "URI")
        String uri;
        @Option(names = {"-e", "--extra"}, paramLabel = "JSON", description = "The event's extra, a JSON object.")
        String extra;
        @Option(names = {"-k", "--dedup-key"}, paramLabel = "KEY", description = "An idempotency key (stored as "
                + "extra.dedup_key): emitting again with the same key records nothing and prints the first event.")
        String dedupKey;

        @Override
        void execute(WeftClient api) {
            Map<String, Object> values = new LinkedHashMap<>();
            Map<String, Object> parsed = WeftCli.jsonObject("--extra", extra); // before any request
            if (parsed != null) {
                values.putAll(parsed);
            }
            if (dedupKey != null) {
                values.put("dedup_key", dedupKey);
            }
            Map<String, Object> event = map(api.post("/datasets/events",
                    WeftClient.map("dataset_uri", uri, "extra", values)));
            out().println("Dataset event of " + event.get("dataset_uri") + " at " + event.get("timestamp"));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }
}
