package dev.weft.engine.dag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.weft.engine.json.Json;
import dev.weft.engine.plugin.TaskType;
import dev.weft.spi.dag.DagValidation;
import dev.weft.spi.dag.SensorMode;
import dev.weft.spi.dag.TriggerRule;

import java.io.UncheckedIOException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON Schema (draft 2020-12) of DAG files, with each operator's, sensor's and notifier's {@code params} generated
 * from its params type, so an editor (VS Code's YAML extension, IntelliJ) can validate and complete a DAG file. Required
 * params are not marked: a params type checks them itself when the DAG loads.
 */
public final class DagFileSchema {
    public static final String ID = "https://weft.dev/schemas/dag-file.schema.json";
    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE = new PropertyNamingStrategies.SnakeCaseStrategy();

    private DagFileSchema() {
    }

    /** The schema as JSON text, keys in a stable order. */
    public static String json(Collection<TaskType> types) {
        try {
            // Keys sorted, so the published file only changes when the schema does.
            return Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writeValueAsString(schema(types)) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param types the task and notifier types whose params the schema describes */
    public static Map<String, Object> schema(Collection<TaskType> types) {
        List<TaskType> sorted = types.stream().filter(t -> !t.isNotifier())
                .sorted(Comparator.comparing(TaskType::typeId)).toList();
        List<TaskType> notifiers = types.stream().filter(TaskType::isNotifier)
                .sorted(Comparator.comparing(TaskType::typeId)).toList();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("$id", ID);
        root.put("title", "Weft DAG file");
        root.put("description", "One DAG per YAML document. See docs/dags.md, section DAG files.");
        root.put("type", "object");
        root.put("required", List.of("dag_id", "tasks"));
        root.put("additionalProperties", false);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("dag_id", described(Map.of("type", "string", "pattern", "^" + DagValidation.ID.pattern() + "$"),
                "Unique DAG id: 1 to 250 letters, digits, '_', '.' or '-'"));
        p.put("description", Map.of("type", "string"));
        Map<String, Object> uris = Map.of("type", "array", "items", Map.of("type", "string"));
        Map<String, Object> eitherKeys = new LinkedHashMap<>();
        eitherKeys.put("cron", Map.of("type", "string"));
        eitherKeys.put("datasets", uris);
        Map<String, Object> either = object(eitherKeys);
        p.put("schedule", described(Map.of("anyOf", List.of(Map.of("type", List.of("string", "null")), uris, either)),
                "A cron expression, a preset (@daily, @hourly, ...), @once, an ISO-8601 duration (PT5H) or null;"
                        + " a list of dataset URIs (a run when each was updated); or {cron, datasets} for either"));
        p.put("timezone", described(Map.of("type", "string"), "IANA zone id for cron schedules (default UTC)"));
        p.put("start_date", ref("date"));
        p.put("end_date", ref("date"));
        p.put("catchup", Map.of("type", "boolean"));
        p.put("max_active_runs", Map.of("type", "integer", "minimum", 1));
        p.put("max_active_tasks", Map.of("type", "integer", "minimum", 1));
        p.put("dagrun_timeout", ref("duration"));
        p.put("is_paused_upon_creation", Map.of("type", "boolean"));
        p.put("tags", Map.of("type", "array", "items", Map.of("type", "string")));
        p.put("params", described(Map.of("type", "object"), "Run parameters and their defaults"));
        p.put("default_args", ref("default_args"));
        p.put("tasks", Map.of("type", "array", "items", ref("task")));
        Map<String, Object> feed = new LinkedHashMap<>();
        feed.put("dataset", described(Map.of("type", "string"), "The URI of the dataset an upload updates"));
        feed.put("folder", described(Map.of("type", "string"), "The absolute path of the folder watched"));
        feed.put("glob", described(Map.of("type", "string"), "Which files in it are data files, e.g. *.csv"));
        feed.put("marker", described(Map.of("type", "string"),
                "An upload is complete when this file (e.g. _SUCCESS) is present beside a data file"));
        feed.put("stable_for", ref("duration"));
        Map<String, Object> feedSchema = object(feed);
        feedSchema.put("required", List.of("dataset", "folder", "glob"));
        p.put("dataset_feeds", described(Map.of("type", "array", "items", feedSchema),
                "Datasets fed by files arriving in folders: one event per complete upload"));
        p.put("chains", described(Map.of("type", "array", "items", Map.of("type", "array", "items",
                Map.of("type", "string"))), "Each list is a chain: [a, b, c] means a >> b >> c"));
        p.put("on_failure_callback", ref("callbacks"));
        p.put("on_success_callback", ref("callbacks"));
        root.put("properties", p);

        Map<String, Object> defs = new LinkedHashMap<>();
        defs.put("duration", described(Map.of("anyOf", List.of(
                Map.of("type", "string", "pattern", "^-?[Pp]"), Map.of("type", "number"))),
                "An ISO-8601 duration (PT5M, P1D) or a number of seconds"));
        defs.put("date", described(Map.of("type", "string", "pattern",
                        "^(days_ago\\(\\s*\\d+\\s*\\)|\\d{4}-\\d{2}-\\d{2}([Tt ].*)?)$"),
                "days_ago(N), a date (2026-01-01, midnight UTC) or an instant (2026-01-01T06:00:00Z)"));
        defs.put("trigger_rule", Map.of("type", "string", "enum",
                Arrays.stream(TriggerRule.values()).map(TriggerRule::wireName).toList()));
        Map<String, Object> taskSettings = new LinkedHashMap<>();
        taskSettings.put("retries", Map.of("type", "integer", "minimum", 0));
        taskSettings.put("retry_delay", ref("duration"));
        taskSettings.put("retry_exponential_backoff", Map.of("type", "boolean"));
        taskSettings.put("max_retry_delay", ref("duration"));
        taskSettings.put("execution_timeout", ref("duration"));
        taskSettings.put("pool", Map.of("type", "string"));
        taskSettings.put("trigger_rule", ref("trigger_rule"));
        taskSettings.put("on_failure_callback", ref("callbacks"));
        taskSettings.put("on_success_callback", ref("callbacks"));
        taskSettings.put("on_retry_callback", ref("callbacks"));
        defs.put("default_args", object(taskSettings));
        Map<String, Object> sensor = new LinkedHashMap<>();
        sensor.put("mode", Map.of("type", "string", "enum",
                Arrays.stream(SensorMode.values()).map(SensorMode::wireName).toList()));
        sensor.put("poke_interval", ref("duration"));
        sensor.put("timeout", ref("duration"));
        sensor.put("soft_fail", Map.of("type", "boolean"));
        sensor.put("exponential_backoff", Map.of("type", "boolean"));
        sensor.put("max_wait", ref("duration"));
        defs.put("sensor", object(sensor));

        Map<String, Object> task = new LinkedHashMap<>();
        task.put("task_id", Map.of("type", "string", "pattern", "^" + DagValidation.ID.pattern() + "$"));
        task.put("type", described(Map.of("type", "string", "enum", sorted.stream().map(TaskType::typeId).toList()),
                "The operator or sensor type id"));
        task.put("params", Map.of("type", "object"));
        task.put("upstream", Map.of("anyOf", List.of(Map.of("type", "string"),
                Map.of("type", "array", "items", Map.of("type", "string")))));
        task.put("sensor", ref("sensor"));
        task.putAll(taskSettings);
        task.put("pool_slots", Map.of("type", "integer", "minimum", 1));
        task.put("priority_weight", Map.of("type", "integer"));
        task.put("outlets", described(Map.of("type", "array", "items", Map.of("type", "string")),
                "URIs of the datasets a successful try updates"));
        Map<String, Object> taskSchema = object(task);
        taskSchema.put("required", List.of("task_id", "type"));
        List<Object> perType = new ArrayList<>();
        for (TaskType type : sorted) {
            perType.add(Map.of(
                    "if", Map.of("properties", Map.of("type", Map.of("const", type.typeId())), "required", List.of("type")),
                    "then", Map.of("properties", Map.of("params", described(typeSchema(type.factory().paramsType()),
                            (type.isSensor() ? "Sensor" : "Operator") + " " + type.typeId() + " (plugin "
                                    + type.pluginName() + ")")))));
        }
        taskSchema.put("allOf", perType);
        defs.put("task", taskSchema);
        defs.put("callbacks", described(Map.of("anyOf", List.of(ref("callback"),
                Map.of("type", "array", "items", ref("callback")))), "One callback or a list; see docs/callbacks.md"));
        defs.put("callback", callbackSchema(notifiers));
        root.put("$defs", defs);
        return root;
    }

    /** {@code Class::method}, {@code {callable: Class::method}} or {@code {type: <notifier>, params: {...}}}. */
    private static Map<String, Object> callbackSchema(List<TaskType> notifiers) {
        Map<String, Object> callable = Map.of("type", "string", "pattern", "^[^:]+::[^:]+$");
        Map<String, Object> notifier = object(Map.of(
                "type", described(Map.of("type", "string", "enum", notifiers.stream().map(TaskType::typeId).toList()),
                        "The notifier type id"),
                "params", Map.of("type", "object")));
        notifier.put("required", List.of("type"));
        List<Object> perType = new ArrayList<>();
        for (TaskType type : notifiers) {
            perType.add(Map.of(
                    "if", Map.of("properties", Map.of("type", Map.of("const", type.typeId())), "required", List.of("type")),
                    "then", Map.of("properties", Map.of("params", described(typeSchema(type.factory().paramsType()),
                            "Notifier " + type.typeId() + " (plugin " + type.pluginName() + ")")))));
        }
        notifier.put("allOf", perType);
        Map<String, Object> callableObject = object(Map.of("callable", callable));
        callableObject.put("required", List.of("callable"));
        return Map.of("anyOf", List.of(described(callable, "A public static method of the DAG's code"),
                callableObject, notifier));
    }

    private static Map<String, Object> object(Map<String, Object> properties) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("type", "object");
        o.put("additionalProperties", false);
        o.put("properties", properties);
        return o;
    }

    private static Map<String, Object> ref(String def) {
        return Map.of("$ref", "#/$defs/" + def);
    }

    private static Map<String, Object> described(Map<String, Object> schema, String description) {
        Map<String, Object> copy = new LinkedHashMap<>(schema);
        copy.put("description", description);
        return copy;
    }

    /** A params type as a schema: record components by their snake_case names; templates allowed where not strings. */
    static Map<String, Object> typeSchema(Type type) {
        return typeSchema(type, 0);
    }

    private static Map<String, Object> typeSchema(Type type, int depth) {
        if (type instanceof ParameterizedType pt && pt.getRawType() instanceof Class<?> raw) {
            Type[] args = pt.getActualTypeArguments();
            if (Map.class.isAssignableFrom(raw)) {
                return Map.of("type", "object", "additionalProperties", typeSchema(args[1], depth + 1));
            }
            if (Collection.class.isAssignableFrom(raw)) {
                return templatable(Map.of("type", "array", "items", typeSchema(args[0], depth + 1)));
            }
            return typeSchema(raw, depth);
        }
        if (type instanceof GenericArrayType ga) {
            return Map.of("type", "array", "items", typeSchema(ga.getGenericComponentType(), depth + 1));
        }
        if (!(type instanceof Class<?> c)) {
            return Map.of();
        }
        if (c == String.class || c == Character.class || c == char.class) {
            return Map.of("type", "string");
        }
        if (c == Boolean.class || c == boolean.class) {
            return templatable(Map.of("type", "boolean"));
        }
        if (c == Integer.class || c == int.class || c == Long.class || c == long.class || c == Short.class
                || c == short.class) {
            return templatable(Map.of("type", "integer"));
        }
        if (Number.class.isAssignableFrom(c) || c == double.class || c == float.class) {
            return templatable(Map.of("type", "number"));
        }
        if (c == Duration.class) {
            return ref("duration");
        }
        if (c == Instant.class) {
            return Map.of("type", "string", "format", "date-time");
        }
        if (c.isEnum()) {
            return Map.of("type", "string", "enum", Arrays.stream(c.getEnumConstants())
                    .map(e -> ((Enum<?>) e).name().toLowerCase(Locale.ROOT)).toList());
        }
        if (c.isArray()) {
            return Map.of("type", "array", "items", typeSchema(c.getComponentType(), depth + 1));
        }
        if (Map.class.isAssignableFrom(c)) {
            return Map.of("type", "object");
        }
        if (Collection.class.isAssignableFrom(c)) {
            return Map.of("type", "array");
        }
        if (c.isRecord() && depth < 5) {
            Map<String, Object> properties = new LinkedHashMap<>();
            for (RecordComponent rc : c.getRecordComponents()) {
                properties.put(SNAKE.translate(rc.getName()), typeSchema(rc.getGenericType(), depth + 1));
            }
            return object(properties);
        }
        return Map.of(); // Object and anything else: any value
    }

    /** A value that may also be a Jinja template, rendered before binding. */
    private static Map<String, Object> templatable(Map<String, Object> schema) {
        return Map.of("anyOf", List.of(schema, Map.of("type", "string", "pattern", "\\{[{%]")));
    }
}
