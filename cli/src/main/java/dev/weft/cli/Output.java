package dev.weft.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Rows printed as a table (the default), JSON or YAML (a list of objects with real types) or plain columns. YAML's
 * library is only loaded when YAML is asked for.
 */
final class Output {
    enum Format { table, json, yaml, plain }

    private Output() {
    }

    /** One value (an object, a list) as JSON or YAML; for the text formats, as JSON. */
    static void value(PrintStream out, Format format, Object value) {
        if (format == Format.yaml) {
            out.print(Yaml.write(value));
        } else {
            out.println(Json.pretty(value));
        }
    }

    static void rows(PrintStream out, Format format, List<String> columns, List<Map<String, Object>> rows) {
        if (format == Format.json || format == Format.yaml) {
            List<Map<String, Object>> picked = new ArrayList<>();
            for (Map<String, Object> r : rows) {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                columns.forEach(c -> m.put(c, r.get(c)));
                picked.add(m);
            }
            value(out, format, picked);
            return;
        }
        if (rows.isEmpty()) {
            if (format == Format.table) {
                out.println("No data found");
            }
            return;
        }
        List<List<String>> cells = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            cells.add(columns.stream().map(c -> cell(r.get(c), format)).toList());
        }
        int[] widths = new int[columns.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = columns.get(i).length();
            for (List<String> row : cells) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        String sep = format == Format.table ? " | " : "  ";
        out.println(line(columns, widths, sep));
        if (format == Format.table) {
            StringBuilder rule = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                rule.append(i == 0 ? "" : "=+=").append("=".repeat(widths[i]));
            }
            out.println(rule);
        }
        cells.forEach(row -> out.println(line(row, widths, sep)));
    }

    private static String line(List<String> values, int[] widths, String sep) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(sep);
            }
            String v = values.get(i);
            sb.append(i == values.size() - 1 ? v : v + " ".repeat(widths[i] - v.length()));
        }
        return sb.toString().stripTrailing();
    }

    private static String cell(Object v, Format format) {
        String s;
        if (v == null) {
            s = format == Format.plain ? "None" : "";
        } else if (v instanceof List<?> l) {
            s = l.stream().map(String::valueOf).collect(Collectors.joining(","));
        } else if (v instanceof Map<?, ?> || v instanceof Record) {
            s = Json.write(v);
        } else {
            s = String.valueOf(v);
        }
        return s.replaceAll("\\s+", " ");
    }
}
