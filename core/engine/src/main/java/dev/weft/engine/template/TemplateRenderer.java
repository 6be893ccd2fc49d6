package dev.weft.engine.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.loader.ResourceNotFoundException;
import dev.weft.spi.TaskTypeFactory;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders Jinja templates in task fields with Airflow's context ({@link TemplateContext}).
 *
 * <p>Create one and share it: building the Jinja engine costs about 0.4 s, and rendering is thread-safe (every
 * call gets its own interpreter; the shared engine is only read). As with Airflow's {@code StrictUndefined}, an
 * undefined variable, attribute or dict key is an error ({@link TemplateException}), not an empty string; use
 * {@code | default('x')} or {@code is defined} for optional values.
 *
 * <p>Settings beyond Jinjava's defaults, chosen for Jinja compatibility: unknown tokens fail; {@code for k in dict}
 * iterates keys; dict literal keys are expressions ({@code {k: 1}} uses the variable {@code k}); natural operator
 * precedence; no nested interpretation (a value that itself contains <code>{{ }}</code>, e.g. from a trigger's
 * conf, is printed as is, never rendered); {@code include}/{@code import}/{@code extends} cannot load anything.
 */
public final class TemplateRenderer {
    private static final Pattern UNKNOWN_TOKEN = Pattern.compile("^(?:[\\w.$]+Exception: )?Unknown token found: (.*)$",
            Pattern.DOTALL);
    private static final Pattern SIMPLE_REFERENCE = Pattern.compile("[\\w.]+(?:\\[[^\\]]*\\][\\w.]*)*");
    private static final Pattern EXCEPTION_PREFIX = Pattern.compile("^(?:[a-z][\\w$]*\\.)*[A-Z][\\w$]*(?:Exception|Error): ");

    private final Jinjava jinjava;

    public TemplateRenderer() {
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withFailOnUnknownTokens(true)
                .withNestedInterpretationEnabled(false)
                .withTimeZone(ZoneOffset.UTC)
                .withLocale(Locale.ENGLISH)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withIterateOverMapKeys(true)
                        .withEvaluateMapKeys(true)
                        .withUseNaturalOperatorPrecedence(true)
                        .build())
                .build();
        this.jinjava = new Jinjava(config);
        this.jinjava.setResourceLocator((name, encoding, interpreter) -> {
            throw new ResourceNotFoundException("templates cannot include or import other files ('" + name + "')");
        });
    }

    /** Whether {@code text} contains <code>{{</code> or <code>{%</code>, i.e. whether rendering can change it. */
    public static boolean isTemplate(String text) {
        return text.contains("{{") || text.contains("{%");
    }

    /**
     * Renders one template. A string without <code>{{</code> and <code>{%</code> is returned as is (the same
     * instance) without involving Jinja.
     *
     * @throws TemplateException when the template has an error or uses an undefined variable
     */
    public String render(String template, TemplateContext context) {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(context, "context");
        if (!isTemplate(template)) {
            return template;
        }
        return render(template, context.variables(), "");
    }

    /**
     * Renders every string inside a JSON-like value: a {@code String}, or {@code Map}s, {@code List}s and
     * {@code Set}s nesting them, as Airflow renders templated fields (reference B10.8). Returns new maps, lists
     * and sets (map keys are kept as they are, not rendered); strings without template markers and all other
     * values (numbers, booleans, {@code null}, ...) are returned unchanged, as the same instances.
     *
     * @throws TemplateException naming the failing string's path inside {@code value}, e.g. {@code env.TARGET}
     *                           or {@code op_args[1]}
     */
    public Object renderValue(Object value, TemplateContext context) {
        Objects.requireNonNull(context, "context");
        return renderValue(value, new Variables(context), "");
    }

    /**
     * A task's params as its try sees them: those its type declares templated rendered, the others as they are. The
     * worker binds the result; the UI shows it.
     *
     * @throws TemplateException as {@link #renderValue}
     */
    public Map<String, Object> renderParams(Map<String, Object> params, TaskTypeFactory<?> type,
                                            TemplateContext context) {
        Variables variables = new Variables(context);
        Map<String, Object> rendered = new LinkedHashMap<>();
        // forEach, not entrySet(): a spec's unmodifiable map builds its entry set on first use only, so the first try
        // of a DAG new to this worker took a path its compiled code had never seen, and the JIT threw away and
        // recompiled the whole try step (seconds of compiler time) each time a DAG or version appeared.
        params.forEach((key, value) -> rendered.put(key, type.isTemplated(key)
                ? renderValue(value, variables, "") : value));
        return rendered;
    }

    private Object renderValue(Object value, Variables variables, String path) {
        if (value instanceof String s) {
            return isTemplate(s) ? render(s, variables.get(), path) : s;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                String key = String.valueOf(k);
                out.put(k, renderValue(v, variables, path.isEmpty() ? key : path + "." + key));
            });
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                out.add(renderValue(list.get(i), variables, path + "[" + i + "]"));
            }
            return out;
        }
        if (value instanceof Set<?> set) {
            Set<Object> out = new LinkedHashSet<>();
            int i = 0;
            for (Object item : set) {
                out.add(renderValue(item, variables, path + "[" + i++ + "]"));
            }
            return out;
        }
        return value;
    }

    private String render(String template, Map<String, Object> variables, String path) {
        RenderResult result;
        try {
            result = jinjava.renderForResult(template, variables);
        } catch (RuntimeException e) {
            throw new TemplateException(path, template, List.of(describe(String.valueOf(e.getMessage()))), e);
        }
        List<String> errors = new ArrayList<>();
        Exception cause = null;
        for (TemplateError error : result.getErrors()) {
            // Jinjava reports some syntax errors (e.g. a stray {% endif %}) as warnings; Jinja rejects them.
            boolean fails = error.getSeverity() == TemplateError.ErrorType.FATAL
                    || error.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR;
            if (!fails) {
                continue;
            }
            errors.add(describe(error, template));
            if (cause == null) {
                cause = error.getException();
            }
        }
        if (!errors.isEmpty()) {
            throw new TemplateException(path, template, errors, cause);
        }
        return result.getOutput();
    }

    /** {@code line 2: 'dag_run.conf.missing' is undefined}, with the line's text when the template has several. */
    private static String describe(TemplateError error, String template) {
        String what = describe(String.valueOf(error.getMessage()));
        int line = error.getLineno();
        if (line <= 0) {
            return what;
        }
        String[] lines = template.split("\r?\n", -1);
        if (lines.length > 1 && line <= lines.length) {
            return "line " + line + " (" + TemplateException.shorten(lines[line - 1].strip(), 60) + "): " + what;
        }
        return "line " + line + ": " + what;
    }

    private static String describe(String message) {
        Matcher unknown = UNKNOWN_TOKEN.matcher(message);
        if (unknown.matches()) {
            String token = unknown.group(1).strip();
            return SIMPLE_REFERENCE.matcher(token).matches()
                    ? "'" + token + "' is undefined"
                    : "undefined variable, attribute or key in '" + token + "'";
        }
        String text = message;
        Matcher prefix = EXCEPTION_PREFIX.matcher(text);
        while (prefix.lookingAt()) {
            text = text.substring(prefix.end());
            prefix = EXCEPTION_PREFIX.matcher(text);
        }
        return text;
    }

    /** The context's variables, built on first use and shared by all strings of one {@code renderValue}. */
    private static final class Variables {
        private final TemplateContext context;
        private Map<String, Object> variables;

        Variables(TemplateContext context) {
            this.context = context;
        }

        Map<String, Object> get() {
            if (variables == null) {
                variables = context.variables();
            }
            return variables;
        }
    }
}
