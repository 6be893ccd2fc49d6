package dev.weft.cli;

import dev.weft.api.model.CreateDatasetEvent;
import dev.weft.api.model.Dataset;
import dev.weft.api.model.DatasetCollection;
import dev.weft.api.model.DatasetEvent;
import dev.weft.api.model.DatasetEventCollection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.weft.cli.WeftClient.seg;

/** {@code weft datasets list|events|emit}: datasets, their events, and events from external producers. */
final class DatasetCommands {
    static final WeftCli.Noun NOUN = new WeftCli.Noun(Datasets.class, List.of(List_.class, Events.class,
            Emit.class));

    private DatasetCommands() {
    }

    @Command(name = "datasets", description = "Datasets, their events, and posting an event.",
            mixinStandardHelpOptions = true)
    static final class Datasets extends GroupCommand {
    }

    @Command(name = "list", description = "List the datasets with the DAGs scheduled on them and the tasks that "
            + "update them.", mixinStandardHelpOptions = true)
    static final class List_ extends ApiCommand {
        @Option(names = "--uri-pattern", paramLabel = "TEXT", description = "Only datasets whose URI contains TEXT.")
        String uriPattern;

        @Override
        void execute(WeftClient api) {
            String query = "/datasets?order_by=uri" + (uriPattern == null ? "" : "&uri_pattern=" + seg(uriPattern));
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Dataset d : datasets(api, query)) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("uri", d.uri());
                row.put("consuming_dags", String.join(", ", orEmpty(d.consumingDags()).stream()
                        .map(c -> c.dagId()).toList()));
                row.put("producing_tasks", String.join(", ", orEmpty(d.producingTasks()).stream()
                        .map(t -> t.dagId() + "." + t.taskId()).toList()));
                rows.add(row);
            }
            rows(List.of("uri", "consuming_dags", "producing_tasks"), rows);
        }
    }

    @Command(name = "events", description = "List dataset events, newest first, with the runs that consumed them.",
            mixinStandardHelpOptions = true)
    static final class Events extends ApiCommand {
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
            for (DatasetEvent e : orEmpty(api.get(query, DatasetEventCollection.class).datasetEvents())) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("timestamp", e.timestamp());
                row.put("dataset_uri", e.datasetUri());
                row.put("source", e.sourceDagId() == null ? "external"
                        : e.sourceDagId() + "." + e.sourceTaskId() + " " + e.sourceRunId());
                row.put("extra", Json.write(e.extra()));
                row.put("created_runs", String.join(", ", orEmpty(e.createdDagruns()).stream()
                        .map(r -> r.dagId() + " " + r.runId()).toList()));
                rows.add(row);
            }
            rows(List.of("timestamp", "dataset_uri", "source", "extra", "created_runs"), rows);
        }

        /** The id of the dataset with exactly this URI (the events filter takes ids). */
        private static long datasetId(WeftClient api, String uri) {
            for (Dataset d : datasets(api, "/datasets?uri_pattern=" + seg(uri))) {
                if (uri.equals(d.uri())) {
                    return d.id();
                }
            }
            throw new CliException(CliException.NOT_FOUND, "Dataset " + uri + " does not exist (a DAG must name it"
                    + " in its outlets or its schedule; see weft datasets list)");
        }
    }

    @Command(name = "emit", description = "Record an event of a dataset, as an external producer: the DAGs "
            + "scheduled on it may start.", mixinStandardHelpOptions = true)
    static final class Emit extends ApiCommand {
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
            Map<String, Object> parsed = OptionValues.jsonObject("--extra", extra); // before any request
            if (parsed != null) {
                values.putAll(parsed);
            }
            if (dedupKey != null) {
                values.put("dedup_key", dedupKey);
            }
            DatasetEvent event = Json.as(DatasetEvent.class, api.post("/datasets/events",
                    Json.body(new CreateDatasetEvent(uri, values))));
            out().println("Dataset event of " + event.datasetUri() + " at " + event.timestamp());
        }
    }

    private static List<Dataset> datasets(WeftClient api, String query) {
        return api.getAll(query, DatasetCollection.class, DatasetCollection::datasets);
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
