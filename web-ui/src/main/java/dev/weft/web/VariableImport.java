package dev.weft.web;

import dev.weft.engine.json.Json;
import dev.weft.engine.secrets.SecretMasker;
import dev.weft.engine.variables.Variables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The CLI's {@code weft variables import} for the web UI, in the same format ({@code {"key": value, ...}}, what
 * {@code variables export} writes): a value that is not a string is stored as its JSON text, and a value that is the
 * mask {@code ***} (a sensitive value, as exported) is skipped rather than stored over the secret.
 */
final class VariableImport {
    /** What to do with a key that exists, as the CLI's {@code --action-on-existing-key}. */
    enum OnExisting {
        OVERWRITE, SKIP, FAIL;

        static OnExisting of(String name) {
            try {
                return name == null || name.isBlank() ? OVERWRITE : valueOf(name.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + name + "' is not a choice for existing keys: choose"
                        + " overwrite, skip or fail");
            }
        }
    }

    /** How many of how many were stored; the keys skipped because they exist or hold the mask; refused ones. */
    record Result(int imported, int total, Set<String> existing, List<String> masked, List<String> failed) {
        String message() {
            StringBuilder m = new StringBuilder(imported + " of " + total + " variables imported.");
            if (!existing.isEmpty()) {
                m.append(" Skipped because they exist: ").append(String.join(", ", existing)).append('.');
            }
            if (!masked.isEmpty()) {
                m.append(" Skipped because their value is the mask ").append(SecretMasker.MASK)
                        .append(" (sensitive values are not exported; set them one by one): ")
                        .append(String.join(", ", masked)).append('.');
            }
            failed.forEach(f -> m.append(" Not imported: ").append(f).append('.'));
            return m.toString();
        }
    }

    private VariableImport() {
    }

    /** The keys and values of {@code text}, each value as it will be stored. */
    static Map<String, String> parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("Choose a JSON file or paste its content, e.g. {\"region\": "
                    + "\"eu-west-1\"}");
        }
        Map<String, String> entries = new LinkedHashMap<>();
        TriggerForm.jsonObject(text, "file", "{\"region\": \"eu-west-1\"}")
                .forEach((key, value) -> entries.put(key, value instanceof String string ? string : Json.write(value)));
        return entries;
    }

    /** Stores {@code entries}; with {@link OnExisting#FAIL} nothing is stored when one of the keys exists. */
    static Result run(Variables variables, Map<String, String> entries, OnExisting onExisting) {
        Set<String> existing = new TreeSet<>();
        if (onExisting != OnExisting.OVERWRITE) {
            variables.list(false, false, Integer.MAX_VALUE, 0).variables().stream().map(Variables.Variable::key)
                    .filter(entries::containsKey).forEach(existing::add);
        }
        if (onExisting == OnExisting.FAIL && !existing.isEmpty()) {
            throw new IllegalArgumentException("These keys exist already: " + String.join(", ", existing)
                    + ". Nothing was imported: choose overwrite or skip for existing keys.");
        }
        List<String> masked = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        int imported = 0;
        for (Map.Entry<String, String> e : entries.entrySet()) {
            String key = e.getKey();
            if (existing.contains(key)) {
                continue;
            }
            if (SecretMasker.MASK.equals(e.getValue())) {
                masked.add(key);
                continue;
            }
            try {
                // The format has no descriptions: a replaced variable keeps its own.
                variables.set(key, e.getValue(), variables.find(key).map(Variables.Variable::description)
                        .orElse(null));
                imported++;
            } catch (IllegalArgumentException refused) {
                failed.add(refused.getMessage());
            }
        }
        return new Result(imported, entries.size(), existing, masked, failed);
    }
}
