package dev.weft.plugins.standard;

import dev.weft.spi.EditDistance;
import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.SensorContext;
import dev.weft.spi.TaskContext;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.BaseStream;
import java.util.stream.Collectors;

/**
 * Java callables named in params ({@code "com.acme.Checks::dataArrived"}): resolving the public static method in the
 * DAG's class loader, matching its parameters to {@code op_args} / {@code op_kwargs} (by position, then by name), and
 * converting JSON values to the parameter types. Shared by {@code standard.callable},
 * {@code standard.callable_sensor} and the external-task sensor's {@code execution_date_fn}, so all report problems
 * the same way, when the DAG loads.
 */
final class Callables {
    static final String EXAMPLE = "com.acme.Checks::dataArrived";

    private Callables() {
    }

    /** A resolved callable: one public static method. */
    record Target(String ref, Method method) {
        /** {@code com.acme.Checks::dataArrived(String supermarket_id_)} */
        String signature() {
            return method.getDeclaringClass().getName() + "::" + method.getName() + "(" + Arrays.stream(method.getParameters())
                    .map(p -> p.getType().getSimpleName() + " " + p.getName()).collect(Collectors.joining(", ")) + ")";
        }

        String name() {
            return method.getDeclaringClass().getName() + "::" + method.getName();
        }
    }

    enum Kind { CONTEXT, POSITIONAL, KEYWORD }

    /** Where one parameter gets its value: the context, {@code op_args[index]} or {@code op_kwargs[key]}. */
    record Slot(Parameter parameter, Kind kind, int index, String key) {
    }

    /** How every parameter of a target is filled; made by {@link #plan}. */
    record Plan(Target target, List<Slot> slots, String argsField, String kwargsField) {
        Object[] arguments(List<?> args, Map<String, ?> kwargs, TaskContext context) {
            Object[] values = new Object[slots.size()];
            for (int i = 0; i < values.length; i++) {
                Slot slot = slots.get(i);
                Parameter p = slot.parameter();
                values[i] = switch (slot.kind()) {
                    case CONTEXT -> {
                        if (!p.getType().isInstance(context)) {
                            throw new IllegalStateException("parameter '" + p.getName() + "' of " + target.signature()
                                    + " needs a " + p.getType().getSimpleName() + ", but this task's context is a "
                                    + context.getClass().getSimpleName());
                        }
                        yield context;
                    }
                    case POSITIONAL -> convert(args.get(slot.index()), p, argsField + "[" + slot.index() + "]", target);
                    case KEYWORD -> convert(kwargs.get(slot.key()), p, kwargsField + "." + slot.key(), target);
                };
            }
            return values;
        }
    }

    // ---- resolving ----------------------------------------------------------------------------------------------

    /**
     * Finds the public static method {@code ref} names.
     *
     * @throws InvalidParamsException naming {@code field}: a malformed reference, an unknown class or method, a
     *                                method that is not public static, or an overloaded one
     */
    static Target resolve(String field, String ref, ClassLoader loader) {
        if (ref == null || ref.isBlank()) {
            throw new InvalidParamsException(field, "is required: a public static method written Class::method, e.g. " + EXAMPLE);
        }
        String text = ref.strip();
        int sep = text.indexOf("::");
        if (sep <= 0 || sep + 2 >= text.length() || text.indexOf("::", sep + 2) >= 0) {
            throw new InvalidParamsException(field, "'" + ref + "' is not a Class::method reference such as " + EXAMPLE);
        }
        String className = text.substring(0, sep).strip();
        String methodName = text.substring(sep + 2).strip();
        Class<?> owner = loadClass(field, className, loader);

        List<Method> named = Arrays.stream(owner.getMethods())
                .filter(m -> m.getName().equals(methodName) && m.getDeclaringClass() != Object.class && !m.isSynthetic())
                .toList();
        List<Method> statics = named.stream().filter(m -> Modifier.isStatic(m.getModifiers())).toList();
        if (statics.isEmpty()) {
            if (!named.isEmpty()) {
                throw new InvalidParamsException(field, "method " + owner.getName() + "::" + methodName
                        + " is not static; a callable must be a public static method");
            }
            boolean declared = Arrays.stream(owner.getDeclaredMethods()).anyMatch(m -> m.getName().equals(methodName));
            if (declared) {
                throw new InvalidParamsException(field, "method " + owner.getName() + "::" + methodName
                        + " is not public; a callable must be a public static method");
            }
            List<String> available = Arrays.stream(owner.getMethods())
                    .filter(m -> Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() != Object.class)
                    .map(Method::getName).distinct().sorted().toList();
            String hint = closest(methodName, available).map(c -> "; did you mean '" + c + "'?")
                    .orElse(available.isEmpty() ? "; it has no public static methods" : "; its public static methods: "
                            + String.join(", ", available));
            throw new InvalidParamsException(field, "class " + owner.getName() + " has no public static method '"
                    + methodName + "'" + hint);
        }
        if (statics.size() > 1) {
            throw new InvalidParamsException(field, "method " + owner.getName() + "::" + methodName + " is overloaded ("
                    + statics.stream().map(m -> new Target(ref, m).signature()).sorted().collect(Collectors.joining(", "))
                    + "); give the callable a name of its own");
        }
        Method method = statics.get(0);
        method.trySetAccessible(); // a public method of a non-public class
        return new Target(text, method);
    }

    private static Class<?> loadClass(String field, String className, ClassLoader loader) {
        // "com.acme.Outer.Inner" also finds the nested class com.acme.Outer$Inner.
        String candidate = className;
        while (true) {
            try {
                return Class.forName(candidate, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                int dot = candidate.lastIndexOf('.');
                if (dot < 0) {
                    throw new InvalidParamsException(field, "class '" + className
                            + "' not found by the DAG's class loader (write the fully qualified name, e.g. " + EXAMPLE + ")");
                }
                candidate = candidate.substring(0, dot) + "$" + candidate.substring(dot + 1);
            }
        }
    }

    // ---- matching parameters ------------------------------------------------------------------------------------

    /**
     * Matches the target's parameters to the values a task will pass: parameters typed {@link TaskContext} or
     * {@link SensorContext} get the context; of the others, the first {@code positionalCount} are filled from
     * {@code args} in order and the rest by name from the kwargs ({@code supermarket_id} also fills a parameter named
     * {@code supermarketId}).
     *
     * @param offered the context type the task has ({@code TaskContext.class} for operators)
     * @throws InvalidParamsException naming the first culprit and listing every mismatch, with the near names
     */
    static Plan plan(Target target, String argsField, String kwargsField, int positionalCount,
                     Collection<String> kwargNames, Class<? extends TaskContext> offered) {
        Parameter[] parameters = target.method().getParameters();
        List<String> problems = new ArrayList<>();
        String firstField = null;
        List<Slot> slots = new ArrayList<>();
        List<Parameter> values = new ArrayList<>();
        for (Parameter p : parameters) {
            if (TaskContext.class.isAssignableFrom(p.getType())) {
                if (!p.getType().isAssignableFrom(offered)) {
                    firstField = firstField != null ? firstField : kwargsField;
                    problems.add("parameter '" + p.getName() + "' of " + target.signature() + " is a "
                            + p.getType().getSimpleName() + ", but this task gets a " + offered.getSimpleName()
                            + "; declare it as " + offered.getSimpleName());
                }
                slots.add(new Slot(p, Kind.CONTEXT, -1, null));
            } else {
                slots.add(null); // filled below
                values.add(p);
            }
        }
        if (positionalCount > values.size()) {
            throw new InvalidParamsException(argsField, "has " + positionalCount + " value(s) but " + target.signature()
                    + " takes " + values.size() + (values.size() == parameters.length ? "" : " besides the context"));
        }
        List<Parameter> byName = values.subList(positionalCount, values.size());
        if (!byName.isEmpty() && byName.stream().anyMatch(p -> !p.isNamePresent())) {
            throw new InvalidParamsException(kwargsField, "the parameter names of " + target.signature()
                    + " are not in its class file, so op_kwargs cannot be matched to them: compile "
                    + target.method().getDeclaringClass().getName()
                    + " with -parameters (Maven: <parameters>true</parameters> in maven-compiler-plugin), "
                    + "or pass the values in order with " + argsField);
        }

        Map<Parameter, String> keyOf = new LinkedHashMap<>();
        Set<String> unmatchedKeys = new LinkedHashSet<>();
        for (String key : kwargNames) {
            Optional<Parameter> positional = values.subList(0, positionalCount).stream()
                    .filter(p -> p.isNamePresent() && matches(key, p.getName())).findFirst();
            if (positional.isPresent()) {
                firstField = firstField != null ? firstField : kwargsField + "." + key;
                problems.add("parameter '" + positional.get().getName() + "' gets two values, from " + argsField
                        + " and from " + kwargsField + " key '" + key + "'");
                continue;
            }
            Optional<Parameter> p = byName.stream().filter(x -> x.getName().equals(key)).findFirst()
                    .or(() -> byName.stream().filter(x -> matches(key, x.getName())).findFirst());
            if (p.isEmpty()) {
                unmatchedKeys.add(key);
            } else if (keyOf.containsKey(p.get())) {
                firstField = firstField != null ? firstField : kwargsField + "." + key;
                problems.add("parameter '" + p.get().getName() + "' gets two values, from " + kwargsField + " keys '"
                        + keyOf.get(p.get()) + "' and '" + key + "'");
            } else {
                keyOf.put(p.get(), key);
            }
        }
        List<String> unmatchedParams = new ArrayList<>(byName.stream().filter(p -> !keyOf.containsKey(p))
                .map(Parameter::getName).toList());
        for (String key : unmatchedKeys) {
            firstField = firstField != null ? firstField : kwargsField + "." + key;
            Optional<String> near = closest(key, unmatchedParams);
            if (near.isPresent()) {
                // The usual typo: one key and one parameter that nearly match. Say it once, naming both.
                unmatchedParams.remove(near.get());
                problems.add(kwargsField + " key '" + key + "' matches no parameter of " + target.signature()
                        + ", and parameter '" + near.get() + "' gets no value: did you mean '" + near.get()
                        + "' instead of '" + key + "'?");
            } else {
                problems.add(kwargsField + " key '" + key + "' matches no parameter of " + target.signature()
                        + closest(key, byName.stream().map(Parameter::getName).toList())
                        .map(c -> " (did you mean '" + c + "'?)").orElse(""));
            }
        }
        for (String name : unmatchedParams) {
            firstField = firstField != null ? firstField : kwargsField;
            problems.add("parameter '" + name + "' of " + target.signature() + " gets no value: add '" + name
                    + "' to " + kwargsField);
        }
        if (!problems.isEmpty()) {
            throw new InvalidParamsException(firstField, String.join("; ", problems));
        }

        int v = 0;
        for (int i = 0; i < slots.size(); i++) {
            if (slots.get(i) == null) {
                Parameter p = values.get(v);
                slots.set(i, v < positionalCount ? new Slot(p, Kind.POSITIONAL, v, null)
                        : new Slot(p, Kind.KEYWORD, -1, keyOf.get(p)));
                v++;
            }
        }
        return new Plan(target, List.copyOf(slots), argsField, kwargsField);
    }

    /** Whether kwarg {@code key} names parameter {@code name}: equal, or equal once snake_case is camelCased. */
    private static boolean matches(String key, String name) {
        return key.equals(name) || (key.indexOf('_') > 0 && snakeToCamel(key).equals(name));
    }

    private static String snakeToCamel(String s) {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char c : s.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }

    /** The candidate nearest to {@code name}, when near enough to be a likely typo. */
    static Optional<String> closest(String name, Collection<String> candidates) {
        String n = normalize(name);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = normalize(c).equals(n) ? 0 : EditDistance.between(name.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        if (best == null || bestDistance > Math.max(2, name.length() / 3)) {
            return Optional.empty();
        }
        return Optional.of(best);
    }

    private static String normalize(String s) {
        return s.replace("_", "").toLowerCase(Locale.ROOT);
    }


    // ---- converting and calling ---------------------------------------------------------------------------------

    /** A JSON value as the parameter's type; throws {@link InvalidParamsException} naming {@code where}. */
    static Object convert(Object value, Parameter p, String where, Target target) {
        Class<?> type = p.getType();
        if (value == null) {
            if (type.isPrimitive()) {
                throw mismatch(where, p, target, "is null");
            }
            return null;
        }
        Class<?> boxed = box(type);
        if (boxed.isInstance(value) && !(value instanceof Number)) {
            return value;
        }
        try {
            if (boxed == String.class) {
                if (value instanceof Number || value instanceof Boolean) {
                    return String.valueOf(value);
                }
            } else if (boxed == Integer.class) {
                return Math.toIntExact(integral(value));
            } else if (boxed == Long.class) {
                return integral(value);
            } else if (boxed == Short.class) {
                long l = integral(value);
                if (l != (short) l) {
                    throw new ArithmeticException("out of range");
                }
                return (short) l;
            } else if (boxed == Double.class) {
                return value instanceof Number n ? n.doubleValue() : Double.parseDouble(text(value));
            } else if (boxed == Float.class) {
                return value instanceof Number n ? n.floatValue() : Float.parseFloat(text(value));
            } else if (boxed == Boolean.class) {
                String s = text(value).strip().toLowerCase(Locale.ROOT);
                if (s.equals("true") || s.equals("false")) {
                    return Boolean.parseBoolean(s);
                }
            } else if (type == Object.class || type == Number.class && value instanceof Number) {
                return value;
            } else if (Set.class.isAssignableFrom(type) && value instanceof Collection<?> c) {
                return Collections.unmodifiableSet(new LinkedHashSet<>(c));
            } else if (type.isAssignableFrom(List.class) && value instanceof Collection<?> c) {
                return value instanceof List<?> ? value : List.copyOf(c);
            } else if (type.isAssignableFrom(Map.class) && value instanceof Map<?, ?>) {
                return value;
            } else if (type == Instant.class) {
                return parseInstant(text(value));
            } else if (type == Duration.class) {
                return value instanceof Number n ? Duration.ofMillis(Math.round(n.doubleValue() * 1000))
                        : Duration.parse(text(value));
            } else if (type == Path.class) {
                return Path.of(text(value));
            } else if (type.isEnum()) {
                String s = text(value);
                for (Object constant : type.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equalsIgnoreCase(s)) {
                        return constant;
                    }
                }
            } else if (type.isInstance(value)) {
                return value;
            }
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException | ClassCastException e) {
            throw mismatch(where, p, target, "is " + describe(value));
        }
        throw mismatch(where, p, target, "is " + describe(value));
    }

    private static InvalidParamsException mismatch(String where, Parameter p, Target target, String what) {
        return new InvalidParamsException(where, "the value " + what + ", which cannot be passed to parameter '"
                + p.getName() + "' (" + p.getType().getSimpleName() + ") of " + target.signature());
    }

    private static String describe(Object value) {
        String type = value instanceof String ? "a string" : value instanceof Number ? "a number"
                : value instanceof Boolean ? "a boolean" : value instanceof List ? "a list" : value instanceof Map ? "an object"
                : "a " + value.getClass().getSimpleName();
        String text = String.valueOf(value);
        return type + " '" + (text.length() > 60 ? text.substring(0, 57) + "..." : text) + "'";
    }

    private static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        throw new ClassCastException();
    }

    private static long integral(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                throw new ArithmeticException("not integral");
            }
            return (long) d;
        }
        return Long.parseLong(text(value).strip());
    }

    static Instant parseInstant(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(s).toInstant();
        }
    }

    private static Class<?> box(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return switch (type.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "boolean" -> Boolean.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "char" -> Character.class;
            default -> Void.class;
        };
    }

    /**
     * Calls the target with the DAG's class loader as the thread's context class loader. The callable's own
     * exceptions come out unwrapped.
     */
    static Object invoke(Target target, Object[] arguments, ClassLoader dagClassLoader) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(dagClassLoader);
        try {
            return target.method().invoke(null, arguments);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + target.signature() + ": " + e.getMessage()
                    + "; make the method and its class public", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    // ---- results ------------------------------------------------------------------------------------------------

    /**
     * A callable's return value as a JSON-like value: strings, booleans, numbers, lists and maps as they are
     * (collections, arrays, streams and optionals converted recursively); anything else as its {@code toString()}.
     */
    static Object toJson(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? (Object) d : String.valueOf(d);
        }
        if (value instanceof Optional<?> o) {
            return toJson(o.orElse(null));
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), toJson(v)));
            return out;
        }
        if (value instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            c.forEach(x -> out.add(toJson(x)));
            return out;
        }
        if (value instanceof BaseStream<?, ?> s) {
            List<Object> out = new ArrayList<>();
            s.iterator().forEachRemaining(x -> out.add(toJson(x)));
            return out;
        }
        if (value.getClass().isArray()) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                out.add(toJson(Array.get(value, i)));
            }
            return out;
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        return String.valueOf(value);
    }

    /** A value shortened for a log line. */
    static String abbreviate(Object value) {
        String s = String.valueOf(value);
        return s.length() > 300 ? s.substring(0, 297) + "..." : s;
    }
}
