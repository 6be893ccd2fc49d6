package dev.weft.engine.dag;

import dev.weft.spi.EditDistance;
import dev.weft.spi.dag.AbstractTaskBuilder;
import dev.weft.spi.dag.Callback;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.DatasetFeed;
import dev.weft.spi.dag.DagDefinitionException;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.OperatorRef;
import dev.weft.spi.dag.SensorBuilder;
import dev.weft.spi.dag.SensorMode;
import dev.weft.spi.dag.SensorRef;
import dev.weft.spi.dag.TaskDefaults;
import dev.weft.spi.dag.TriggerRule;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.ReaderException;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a DAG file (YAML) into {@link DagSpec}s through the same {@link DagBuilder} the Java DSL uses, so both give
 * the same spec with the same defaults. Every problem carries the line and column it was found at (1-based).
 * A file holds one DAG per YAML document ({@code ---} separates several); a broken document does not hide the
 * others.
 *
 * <p>Scalars may name load-time variables as {@code ${env:NAME}} or {@code ${env:NAME:-default}}, resolved from the
 * map given to the constructor (the environment plus {@code WEFT_HOME} and {@code WEFT_DATA_DIR}). Jinja templates
 * ({@code {{ ds }}}) are left alone: the engine renders them before each try.
 */
public final class DagFileParser {

    /** A place in the file, 1-based. */
    public record Position(int line, int column) {
        static Position of(Mark mark) {
            return mark == null ? null : new Position(mark.getLine() + 1, mark.getColumn() + 1);
        }

        @Override
        public String toString() {
            return "line " + line + ", column " + column;
        }
    }

    /** What is wrong, and where ({@code null} position: the file as a whole). */
    public record Problem(Position position, String message) {
        @Override
        public String toString() {
            return position == null ? message : position + ": " + message;
        }
    }

    /** A DAG read from the file, with where its document and each task start (to place later problems). */
    public record ParsedDag(DagSpec spec, Position position, Map<String, Position> taskPositions) {
        /** Prefixes a problem that names {@code task 'x'} with that task's position, otherwise the DAG's. */
        public Problem locate(String message) {
            Matcher m = TASK_IN_MESSAGE.matcher(message);
            Position p = m.find() ? taskPositions.getOrDefault(m.group(1), position) : position;
            return new Problem(p, message);
        }
    }

    /** The DAGs that read cleanly and the problems of the others. */
    public record Result(List<ParsedDag> dags, List<Problem> problems) {
    }

    static final Set<String> DAG_KEYS = Set.of("dag_id", "description", "schedule", "timezone", "start_date",
            "end_date", "catchup", "max_active_runs", "max_active_tasks", "dagrun_timeout", "is_paused_upon_creation",
            "tags", "params", "default_args", "tasks", "chains", "on_failure_callback", "on_success_callback",
            "dataset_feeds");
    static final Set<String> DEFAULT_ARGS_KEYS = Set.of("retries", "retry_delay", "retry_exponential_backoff",
            "max_retry_delay", "execution_timeout", "pool", "trigger_rule", "on_failure_callback",
            "on_success_callback", "on_retry_callback");
    static final Set<String> TASK_KEYS = Set.of("task_id", "type", "params", "upstream", "sensor", "retries",
            "retry_delay", "retry_exponential_backoff", "max_retry_delay", "execution_timeout", "pool", "pool_slots",
            "priority_weight", "trigger_rule", "on_failure_callback", "on_success_callback", "on_retry_callback",
            "outlets");
    static final Set<String> CALLBACK_KEYS = Set.of("callable", "type", "params");
    /** Weft's "datasets or a cron" schedule (Airflow's {@code DatasetOrTimeSchedule}). */
    static final Set<String> SCHEDULE_KEYS = Set.of("cron", "datasets");
    static final Set<String> FEED_KEYS = Set.of("dataset", "folder", "glob", "marker", "stable_for");
    static final Set<String> SENSOR_KEYS = Set.of("mode", "poke_interval", "timeout", "soft_fail",
            "exponential_backoff", "max_wait");

    private static final Pattern TASK_IN_MESSAGE = Pattern.compile("task '([^']+)'");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final Pattern DAYS_AGO = Pattern.compile("days_ago\\(\\s*(\\d+)\\s*\\)");

    private final Map<String, String> variables;

    public DagFileParser(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    /** Parses the text of one DAG file. */
    public Result parse(String text) {
        List<ParsedDag> dags = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // reported by us, with the position of the second key
        options.setMaxAliasesForCollections(50);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        try {
            for (Node document : yaml.composeAll(new StringReader(text))) {
                if (document == null) {
                    continue;
                }
                new DocumentReader(problems).read(document).ifPresent(dags::add);
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            problems.add(new Problem(Position.of(mark), "YAML syntax error: " + what.trim() + context));
        } catch (ReaderException e) {
            // A character YAML does not allow (NUL, a lone surrogate): the reader knows only its offset.
            problems.add(new Problem(positionOf(text, e.getPosition()), "YAML error: character "
                    + String.format("U+%04X", e.getCodePoint()) + " is not allowed in a YAML file"));
        } catch (YAMLException e) {
            problems.add(new Problem(null, "YAML error: " + e.getMessage()));
        }
        if (dags.isEmpty() && problems.isEmpty()) {
            problems.add(new Problem(new Position(1, 1), "the file defines no DAG (expected a mapping with dag_id and tasks)"));
        }
        return new Result(List.copyOf(dags), List.copyOf(problems));
    }

    /** The line and column of the code point at {@code offset} in {@code text}. */
    private static Position positionOf(String text, int offset) {
        int line = 1;
        int column = 1;
        int[] codePoints = text.codePoints().limit(Math.max(0, offset)).toArray();
        for (int c : codePoints) {
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new Position(line, column);
    }

    /** Reads one YAML document; collects its problems and yields a DAG only when there are none. */
    private final class DocumentReader {
        private final List<Problem> fileProblems;
        private final List<Problem> problems = new ArrayList<>();

        DocumentReader(List<Problem> fileProblems) {
            this.fileProblems = fileProblems;
        }

        java.util.Optional<ParsedDag> read(Node document) {
            try {
                return doRead(document);
            } finally {
                fileProblems.addAll(problems);
            }
        }

        private java.util.Optional<ParsedDag> doRead(Node document) {
            Map<String, NodeTuple> dag = mapping(document, "a DAG", DAG_KEYS);
            if (dag == null) {
                return java.util.Optional.empty();
            }
            Position at = Position.of(document.getStartMark());
            String dagId = requiredString(dag, "dag_id", document);
            if (dagId == null) {
                return java.util.Optional.empty();
            }
            DagBuilder b = Dag.builder(dagId);
            optional(dag, "description", n -> b.description(string(n)));
            optional(dag, "schedule", n -> schedule(b, n));
            optional(dag, "timezone", n -> b.timezone(string(n)));
            optional(dag, "start_date", n -> b.startDate(instant(n)));
            optional(dag, "end_date", n -> b.endDate(instant(n)));
            optional(dag, "catchup", n -> b.catchup(bool(n)));
            optional(dag, "max_active_runs", n -> b.maxActiveRuns(integer(n)));
            optional(dag, "max_active_tasks", n -> b.maxActiveTasks(integer(n)));
            optional(dag, "dagrun_timeout", n -> b.dagrunTimeout(duration(n)));
            optional(dag, "is_paused_upon_creation", n -> b.pausedOnCreation(bool(n)));
            optional(dag, "tags", n -> b.tags(stringList(n).toArray(String[]::new)));
            optional(dag, "params", n -> jsonMap(n).forEach(b::param));
            optional(dag, "default_args", n -> defaultArgs(b, n));
            optional(dag, "on_failure_callback", n -> b.onFailureCallback(callbacks(n)));
            optional(dag, "on_success_callback", n -> b.onSuccessCallback(callbacks(n)));
            optional(dag, "dataset_feeds", n -> datasetFeeds(b, n));

            Map<String, AbstractTaskBuilder<?>> tasks = new LinkedHashMap<>();
            Map<String, Position> taskPositions = new HashMap<>();
            Map<String, List<ScalarNode>> upstreams = new LinkedHashMap<>();
            NodeTuple tasksEntry = dag.get("tasks");
            if (tasksEntry == null) {
                problem(document, "DAG '" + dagId + "' has no 'tasks' list");
            } else if (tasksEntry.getValueNode() instanceof SequenceNode seq) {
                for (Node taskNode : seq.getValue()) {
                    task(b, taskNode, tasks, taskPositions, upstreams);
                }
            } else {
                problem(tasksEntry.getValueNode(), "'tasks' must be a list of tasks");
            }
            upstreams.forEach((taskId, ups) -> {
                AbstractTaskBuilder<?> task = tasks.get(taskId);
                for (ScalarNode up : ups) {
                    AbstractTaskBuilder<?> upstream = tasks.get(up.getValue());
                    if (upstream == null) {
                        problem(up, "task '" + taskId + "' lists upstream '" + up.getValue()
                                + "', which is not a task of this DAG" + suggestion(up.getValue(), tasks.keySet()));
                    } else {
                        task.after(upstream);
                    }
                }
            });
            optional(dag, "chains", n -> chains(n, tasks));
            if (!problems.isEmpty()) {
                return java.util.Optional.empty();
            }
            ParsedDag partial = new ParsedDag(null, at, taskPositions);
            try {
                return java.util.Optional.of(new ParsedDag(b.build(), at, Map.copyOf(taskPositions)));
            } catch (DagDefinitionException e) {
                e.problems().forEach(p -> problems.add(partial.locate("DAG '" + dagId + "': " + p)));
                return java.util.Optional.empty();
            }
        }

        private void defaultArgs(DagBuilder b, Node node) {
            Map<String, NodeTuple> args = mapping(node, "default_args", DEFAULT_ARGS_KEYS);
            if (args == null) {
                return;
            }
            List<Consumer<TaskDefaults>> settings = new ArrayList<>();
            optional(args, "retries", n -> { int v = integer(n); settings.add(d -> d.retries(v)); });
            optional(args, "retry_delay", n -> { Duration v = duration(n); settings.add(d -> d.retryDelay(v)); });
            optional(args, "retry_exponential_backoff", n -> {
                boolean v = bool(n);
                settings.add(d -> d.retryExponentialBackoff(v));
            });
            optional(args, "max_retry_delay", n -> { Duration v = duration(n); settings.add(d -> d.maxRetryDelay(v)); });
            optional(args, "execution_timeout", n -> {
                Duration v = duration(n);
                settings.add(d -> d.executionTimeout(v));
            });
            optional(args, "pool", n -> { String v = string(n); settings.add(d -> d.pool(v)); });
            optional(args, "trigger_rule", n -> { TriggerRule v = triggerRule(n); settings.add(d -> d.triggerRule(v)); });
            optional(args, "on_failure_callback", n -> {
                Callback[] v = callbacks(n);
                settings.add(d -> d.onFailureCallback(v));
            });
            optional(args, "on_success_callback", n -> {
                Callback[] v = callbacks(n);
                settings.add(d -> d.onSuccessCallback(v));
            });
            optional(args, "on_retry_callback", n -> {
                Callback[] v = callbacks(n);
                settings.add(d -> d.onRetryCallback(v));
            });
            b.defaultArgs(d -> settings.forEach(s -> s.accept(d)));
        }

        private void task(DagBuilder b, Node node, Map<String, AbstractTaskBuilder<?>> tasks,
                          Map<String, Position> positions, Map<String, List<ScalarNode>> upstreams) {
            Map<String, NodeTuple> task = mapping(node, "a task", TASK_KEYS);
            if (task == null) {
                return;
            }
            String taskId = requiredString(task, "task_id", node);
            String type = requiredString(task, "type", node);
            if (taskId == null || type == null) {
                return;
            }
            if (tasks.containsKey(taskId)) {
                problem(task.get("task_id").getValueNode(), "duplicate task id '" + taskId + "'; task ids must be "
                        + "unique within a DAG (first at " + positions.get(taskId) + ")");
                return;
            }
            positions.put(taskId, Position.of(node.getStartMark()));
            Map<String, Object> params = Map.of();
            if (task.containsKey("params")) {
                Node paramsNode = task.get("params").getValueNode();
                try {
                    params = jsonMap(paramsNode);
                } catch (NodeProblem e) {
                    problem(e.node, "task '" + taskId + "': params: " + e.getMessage());
                    return;
                }
            }
            AbstractTaskBuilder<?> t;
            NodeTuple sensor = task.get("sensor");
            if (sensor != null) {
                SensorBuilder s = b.sensor(taskId, SensorRef.of(type, params));
                sensorSettings(s, sensor.getValueNode());
                t = s;
            } else {
                t = b.task(taskId, OperatorRef.of(type, params));
            }
            tasks.put(taskId, t);
            optional(task, "retries", n -> t.retries(integer(n)));
            optional(task, "retry_delay", n -> t.retryDelay(duration(n)));
            optional(task, "retry_exponential_backoff", n -> t.retryExponentialBackoff(bool(n)));
            optional(task, "max_retry_delay", n -> t.maxRetryDelay(duration(n)));
            optional(task, "execution_timeout", n -> t.executionTimeout(duration(n)));
            optional(task, "pool", n -> t.pool(string(n)));
            optional(task, "pool_slots", n -> t.poolSlots(integer(n)));
            optional(task, "priority_weight", n -> t.priorityWeight(integer(n)));
            optional(task, "trigger_rule", n -> t.triggerRule(triggerRule(n)));
            optional(task, "upstream", n -> upstreams.put(taskId, scalarList(n)));
            optional(task, "on_failure_callback", n -> t.onFailureCallback(callbacks(n)));
            optional(task, "on_success_callback", n -> t.onSuccessCallback(callbacks(n)));
            optional(task, "on_retry_callback", n -> t.onRetryCallback(callbacks(n)));
            optional(task, "outlets", n -> t.outlets(stringList(n).toArray(String[]::new)));
        }

        /**
         * One callback or a list of them: {@code Class::method} (a callable), {@code {callable: Class::method}}, or
         * {@code {type: http.webhook, params: {...}}} (a notifier).
         */
        private Callback[] callbacks(Node node) {
            List<Node> items = node instanceof SequenceNode seq ? seq.getValue() : List.of(node);
            List<Callback> callbacks = new ArrayList<>();
            for (Node item : items) {
                if (item instanceof ScalarNode) {
                    callbacks.add(Callback.callable(string(item)));
                    continue;
                }
                Map<String, NodeTuple> entries = mapping(item, "a callback", CALLBACK_KEYS);
                if (entries == null) {
                    continue;
                }
                NodeTuple callable = entries.get("callable");
                NodeTuple type = entries.get("type");
                NodeTuple params = entries.get("params");
                try {
                    callbacks.add(new Callback(callable == null ? null : string(callable.getValueNode()),
                            type == null ? null : string(type.getValueNode()),
                            params == null ? null : jsonMap(params.getValueNode())));
                } catch (IllegalArgumentException e) {
                    throw new NodeProblem(item, e.getMessage() + ", e.g. {callable: com.acme.Alerts::taskFailed} or"
                            + " {type: http.webhook, params: {url: ...}}");
                }
            }
            return callbacks.toArray(Callback[]::new);
        }

        private void datasetFeeds(DagBuilder b, Node node) {
            if (!(node instanceof SequenceNode seq)) {
                problem(node, "'dataset_feeds' must be a list of feeds (dataset, folder, glob, marker or stable_for)");
                return;
            }
            for (Node item : seq.getValue()) {
                Map<String, NodeTuple> feed = mapping(item, "a dataset feed", FEED_KEYS);
                if (feed == null) {
                    continue;
                }
                String[] text = new String[4];
                Duration[] stable = new Duration[1];
                optional(feed, "dataset", n -> text[0] = string(n));
                optional(feed, "folder", n -> text[1] = string(n));
                optional(feed, "glob", n -> text[2] = string(n));
                optional(feed, "marker", n -> text[3] = string(n));
                optional(feed, "stable_for", n -> stable[0] = duration(n));
                b.datasetFeed(new DatasetFeed(text[0], text[1], text[2], text[3], stable[0]));
            }
        }

        /** A cron-like string, a list of dataset URIs, or {@code {cron: …, datasets: […]}} for either. */
        private void schedule(DagBuilder b, Node node) {
            if (node instanceof SequenceNode) {
                b.scheduleOnDatasets(stringList(node).toArray(String[]::new));
            } else if (node instanceof MappingNode) {
                Map<String, NodeTuple> either = mapping(node, "a schedule", SCHEDULE_KEYS);
                if (either != null) {
                    optional(either, "cron", n -> b.schedule(string(n)));
                    optional(either, "datasets", n -> b.scheduleOnDatasets(stringList(n).toArray(String[]::new)));
                }
            } else {
                b.schedule(isNull(node) ? null : string(node));
            }
        }

        private void sensorSettings(SensorBuilder s, Node node) {
            Map<String, NodeTuple> settings = mapping(node, "sensor settings", SENSOR_KEYS);
            if (settings == null) {
                return;
            }
            optional(settings, "mode", n -> s.mode(SensorMode.fromWire(string(n))));
            optional(settings, "poke_interval", n -> s.pokeInterval(duration(n)));
            optional(settings, "timeout", n -> s.timeout(duration(n)));
            optional(settings, "soft_fail", n -> s.softFail(bool(n)));
            optional(settings, "exponential_backoff", n -> s.exponentialBackoff(bool(n)));
            optional(settings, "max_wait", n -> s.maxWait(duration(n)));
        }

        private void chains(Node node, Map<String, AbstractTaskBuilder<?>> tasks) {
            if (!(node instanceof SequenceNode seq)) {
                throw new NodeProblem(node, "'chains' must be a list of lists of task ids, e.g. [[wait, copy, process]]");
            }
            for (Node chain : seq.getValue()) {
                List<ScalarNode> ids = scalarList(chain);
                AbstractTaskBuilder<?> previous = null;
                for (ScalarNode id : ids) {
                    AbstractTaskBuilder<?> current = tasks.get(id.getValue());
                    if (current == null) {
                        problem(id, "chain names '" + id.getValue() + "', which is not a task of this DAG"
                                + suggestion(id.getValue(), tasks.keySet()));
                        previous = null;
                        continue;
                    }
                    if (previous != null) {
                        current.after(previous);
                    }
                    previous = current;
                }
            }
        }

        // ---- helpers -------------------------------------------------------------------------------------------

        /** Applies {@code action} to the value of {@code key} when present; a conversion problem is recorded. */
        private void optional(Map<String, NodeTuple> map, String key, Consumer<Node> action) {
            NodeTuple entry = map.get(key);
            if (entry == null) {
                return;
            }
            Node value = entry.getValueNode();
            try {
                action.accept(value);
            } catch (NodeProblem e) {
                problems.add(new Problem(Position.of(e.node.getStartMark()), e.getMessage()));
            } catch (RuntimeException e) {
                problems.add(new Problem(Position.of(value.getStartMark()), key + ": " + e.getMessage()));
            }
        }

        private String requiredString(Map<String, NodeTuple> map, String key, Node owner) {
            NodeTuple entry = map.get(key);
            if (entry == null) {
                problem(owner, "missing '" + key + "'");
                return null;
            }
            try {
                return string(entry.getValueNode());
            } catch (NodeProblem e) {
                problem(e.node, key + ": " + e.getMessage());
                return null;
            }
        }

        /** The entries of a mapping by key; unknown and duplicate keys are problems. Null when not a mapping. */
        private Map<String, NodeTuple> mapping(Node node, String what, Set<String> known) {
            if (!(node instanceof MappingNode m)) {
                problem(node, what + " must be a mapping (key: value), got " + describe(node));
                return null;
            }
            Map<String, NodeTuple> entries = new LinkedHashMap<>();
            for (NodeTuple tuple : m.getValue()) {
                Node keyNode = tuple.getKeyNode();
                if (!(keyNode instanceof ScalarNode key)) {
                    problem(keyNode, "keys of " + what + " must be plain names");
                    continue;
                }
                if (!known.contains(key.getValue())) {
                    problem(keyNode, "unknown key '" + key.getValue() + "' in " + what
                            + suggestion(key.getValue(), known) + "; known: " + known.stream().sorted().toList());
                    continue;
                }
                if (entries.putIfAbsent(key.getValue(), tuple) != null) {
                    problem(keyNode, "duplicate key '" + key.getValue() + "' in " + what);
                }
            }
            return entries;
        }

        private void problem(Node node, String message) {
            problems.add(new Problem(Position.of(node.getStartMark()), message));
        }
    }

    /** A conversion failure tied to the node it concerns. */
    private static final class NodeProblem extends RuntimeException {
        final transient Node node;

        NodeProblem(Node node, String message) {
            super(message, null, false, false);
            this.node = node;
        }
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    private String string(Node node) {
        if (!(node instanceof ScalarNode s) || Tag.NULL.equals(s.getTag())) {
            throw new NodeProblem(node, "expected a string, got " + describe(node));
        }
        return substitute(s);
    }

    private String substitute(ScalarNode node) {
        String value = node.getValue();
        if (!value.contains("${env:")) {
            return value;
        }
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = variables.get(m.group(1));
            if (v == null) {
                v = m.group(2);
            }
            if (v == null) {
                throw new NodeProblem(node, "variable '" + m.group(1) + "' is not set; set it in Weft's environment "
                        + "or give a default: ${env:" + m.group(1) + ":-value}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static int integer(Node node) {
        if (node instanceof ScalarNode s && Tag.INT.equals(s.getTag())) {
            try {
                return Integer.parseInt(s.getValue().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new NodeProblem(node, "expected an integer, got '" + s.getValue() + "'");
            }
        }
        throw new NodeProblem(node, "expected an integer, got " + describe(node));
    }

    private static boolean bool(Node node) {
        if (node instanceof ScalarNode s && Tag.BOOL.equals(s.getTag())) {
            String v = s.getValue().toLowerCase(Locale.ROOT);
            return v.equals("true") || v.equals("yes") || v.equals("on") || v.equals("y");
        }
        throw new NodeProblem(node, "expected true or false, got " + describe(node));
    }

    /** ISO-8601 ({@code PT5M}) or a number of seconds. */
    private Duration duration(Node node) {
        if (node instanceof ScalarNode s && (Tag.INT.equals(s.getTag()) || Tag.FLOAT.equals(s.getTag()))) {
            double seconds = Double.parseDouble(s.getValue().replace("_", ""));
            return Duration.ofNanos(Math.round(seconds * 1_000_000_000d));
        }
        String text = string(node);
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new NodeProblem(node, "expected a duration: ISO-8601 such as PT5M or P1D, or a number of seconds; "
                    + "got '" + text + "'");
        }
    }

    /** {@code days_ago(3)}, a date ({@code 2026-01-01}, midnight UTC) or an instant ({@code 2026-01-01T06:00:00Z}). */
    private Instant instant(Node node) {
        String text = string(node).trim();
        Matcher daysAgo = DAYS_AGO.matcher(text);
        if (daysAgo.matches()) {
            return Dag.daysAgo(Integer.parseInt(daysAgo.group(1)));
        }
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            try {
                return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
            } catch (DateTimeParseException e) {
                return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
            }
        } catch (DateTimeParseException e) {
            throw new NodeProblem(node, "expected a date (2026-01-01), an instant (2026-01-01T06:00:00Z) or "
                    + "days_ago(N); got '" + text + "'");
        }
    }

    private static TriggerRule triggerRule(Node node) {
        if (!(node instanceof ScalarNode s)) {
            throw new NodeProblem(node, "expected a trigger rule name, got " + describe(node));
        }
        try {
            return TriggerRule.fromWire(s.getValue());
        } catch (IllegalArgumentException e) {
            throw new NodeProblem(node, e.getMessage());
        }
    }

    private List<String> stringList(Node node) {
        return scalarList(node).stream().map(this::string).toList();
    }

    /** A list of scalars; a single scalar counts as a list of one. */
    private static List<ScalarNode> scalarList(Node node) {
        if (node instanceof ScalarNode s) {
            return List.of(s);
        }
        if (!(node instanceof SequenceNode seq)) {
            throw new NodeProblem(node, "expected a list of names, got " + describe(node));
        }
        List<ScalarNode> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            if (!(item instanceof ScalarNode s)) {
                throw new NodeProblem(item, "expected a name, got " + describe(item));
            }
            out.add(s);
        }
        return out;
    }

    private Map<String, Object> jsonMap(Node node) {
        if (isNull(node)) {
            return Map.of();
        }
        if (!(node instanceof MappingNode)) {
            throw new NodeProblem(node, "expected a mapping, got " + describe(node));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) json(node);
        return map;
    }

    /** Any YAML value as a JSON-like value (strings, longs, doubles, booleans, null, lists, maps). */
    private Object json(Node node) {
        if (node instanceof ScalarNode s) {
            Tag tag = s.getTag();
            String v = s.getValue();
            if (Tag.NULL.equals(tag)) {
                return null;
            }
            if (Tag.BOOL.equals(tag)) {
                return bool(s);
            }
            if (Tag.INT.equals(tag)) {
                try {
                    return Long.parseLong(v.replace("_", ""));
                } catch (NumberFormatException e) {
                    throw new NodeProblem(node, "integer '" + v + "' is out of range or not decimal");
                }
            }
            if (Tag.FLOAT.equals(tag)) {
                try {
                    double d = Double.parseDouble(v.replace("_", ""));
                    if (Double.isFinite(d)) {
                        return d;
                    }
                } catch (NumberFormatException ignored) {
                    // reported below
                }
                throw new NodeProblem(node, "number '" + v + "' cannot be held in JSON");
            }
            return substitute(s);
        }
        if (node instanceof SequenceNode seq) {
            List<Object> list = new ArrayList<>();
            for (Node item : seq.getValue()) {
                list.add(json(item));
            }
            return list;
        }
        if (node instanceof MappingNode m) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode key)) {
                    throw new NodeProblem(t.getKeyNode(), "keys must be plain names");
                }
                if (map.containsKey(key.getValue())) {
                    throw new NodeProblem(key, "duplicate key '" + key.getValue() + "'");
                }
                map.put(key.getValue(), json(t.getValueNode()));
            }
            return map;
        }
        throw new NodeProblem(node, "unsupported YAML value " + describe(node));
    }

    private static String describe(Node node) {
        if (node instanceof ScalarNode s) {
            if (Tag.NULL.equals(s.getTag())) {
                return "nothing (null)";
            }
            String kind = Tag.INT.equals(s.getTag()) ? "integer" : Tag.FLOAT.equals(s.getTag()) ? "number"
                    : Tag.BOOL.equals(s.getTag()) ? "boolean" : "string";
            return "the " + kind + " '" + s.getValue() + "'";
        }
        return node instanceof SequenceNode ? "a list" : node instanceof MappingNode ? "a mapping" : "a value";
    }

    /** {@code "; did you mean 'x'?"} for the closest candidate within a small edit distance, else empty. */
    static String suggestion(String value, Collection<String> candidates) {
        List<String> close = closest(value, candidates, 3);
        return close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close.stream().map(c -> "'" + c + "'").toList()) + "?";
    }

    /** Up to {@code max} candidates close to {@code value} (edit distance at most about a third of its length). */
    static List<String> closest(String value, Collection<String> candidates, int max) {
        int limit = Math.max(1, (value.length() + 1) / 3);
        return candidates.stream()
                .map(c -> Map.entry(c, EditDistance.between(value.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT))))
                .filter(e -> e.getValue() <= limit || e.getKey().endsWith("." + value)
                        || e.getKey().contains(value.toLowerCase(Locale.ROOT)))
                .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .limit(max).map(Map.Entry::getKey).toList();
    }

}
