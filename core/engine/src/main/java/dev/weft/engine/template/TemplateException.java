package dev.weft.engine.template;

import java.util.List;

/**
 * A template that cannot be rendered: an undefined variable, a syntax error, or a failing macro. The message
 * names where the template sits inside a rendered value ({@link #path()}, e.g. {@code env.TARGET}), Jinjava's
 * errors with their line ({@code line 1: 'dag_run.conf.missing' is undefined}) and the template text, shortened.
 */
public class TemplateException extends RuntimeException {
    private final String path;
    private final String template;
    private final List<String> errors;

    public TemplateException(String path, String template, List<String> errors, Throwable cause) {
        super(message(path, template, errors), cause);
        this.path = path == null ? "" : path;
        this.template = template;
        this.errors = List.copyOf(errors);
    }

    /** Where the template sits inside the value given to {@code renderValue}; empty for the value itself. */
    public String path() {
        return path;
    }

    /** The whole template text. */
    public String template() {
        return template;
    }

    /** Each error as {@code line N: what}. */
    public List<String> errors() {
        return errors;
    }

    private static String message(String path, String template, List<String> errors) {
        StringBuilder out = new StringBuilder();
        if (path != null && !path.isEmpty()) {
            out.append(path).append(": ");
        }
        out.append(String.join("; ", errors));
        out.append(" in template ").append(shorten(template, 120));
        return out.toString();
    }

    /** The text in double quotes with line breaks shown as {@code \n}, cut to {@code max} characters with "…". */
    static String shorten(String text, int max) {
        String oneLine = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
        if (oneLine.length() > max) {
            oneLine = oneLine.substring(0, max - 1) + "…";
        }
        return '"' + oneLine + '"';
    }
}
