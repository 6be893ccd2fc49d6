package dev.weft.cli;

import dev.weft.api.model.Variable;
import dev.weft.api.model.VariableCollection;
import dev.weft.api.model.VariableCollectionItem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.weft.cli.WeftClient.seg;

/**
 * {@code weft variables list|get|set|delete|import|export}, with Airflow's arguments. The server returns the value of
 * a sensitive key as {@value #MASK} (it is write-only), so an export holds the mask, and an import skips masked
 * values rather than overwrite a secret with its mask.
 */
final class VariableCommands {
    static final WeftCli.Noun NOUN = new WeftCli.Noun(Variables.class, List.of(List_.class, Get.class, Set_.class,
            Delete.class, Import.class, Export.class));
    static final String MASK = "***";

    private VariableCommands() {
    }

    @Command(name = "variables", description = "Airflow Variables (Op and Admin).", mixinStandardHelpOptions = true)
    static final class Variables extends GroupCommand {
    }

    @Command(name = "list", description = "List the variables' keys.", mixinStandardHelpOptions = true)
    static final class List_ extends ApiCommand {
        @Override
        void execute(WeftClient api) {
            recordRows(List.of("key", "description"), api.getAll("/variables?order_by=key", VariableCollection.class,
                    VariableCollection::variables));
        }
    }

    @Command(name = "get", description = "Print a variable's value (*** for a sensitive key).",
            mixinStandardHelpOptions = true)
    static final class Get extends ApiCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;
        @Option(names = {"-d", "--default"}, paramLabel = "VAL",
                description = "Printed when the variable does not exist (instead of failing).")
        String defaultValue;
        @Option(names = {"-j", "--json"}, description = "Parse the value as JSON and print it formatted.")
        boolean json;

        @Override
        void execute(WeftClient api) {
            String value;
            try {
                value = api.get("/variables/" + seg(key), Variable.class).value();
            } catch (CliException e) {
                if (e.exitCode != CliException.NOT_FOUND || defaultValue == null) {
                    throw e.exitCode == CliException.NOT_FOUND ? new CliException(CliException.NOT_FOUND,
                            "Variable " + key + " does not exist (create it with: weft variables set " + key
                                    + " VALUE)") : e;
                }
                value = defaultValue;
            }
            out().println(json && !MASK.equals(value) ? Json.pretty(parse(value, "variable " + key)) : value);
        }
    }

    @Command(name = "set", description = "Create a variable or replace its value.", mixinStandardHelpOptions = true)
    static final class Set_ extends ApiCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;
        @Parameters(index = "1", paramLabel = "VALUE")
        String value;
        @Option(names = "--description", paramLabel = "DESCRIPTION")
        String description;
        @Option(names = {"-j", "--json"}, description = "The value is JSON: check it and store it normalized.")
        boolean json;

        @Override
        void execute(WeftClient api) {
            String stored = json ? Json.write(parse(value, "VALUE")) : value;
            api.post("/variables", WeftClient.map("key", key, "value", stored, "description", description));
            out().println("Variable " + key + " set");
        }
    }

    @Command(name = "delete", description = "Delete a variable.", mixinStandardHelpOptions = true)
    static final class Delete extends ApiCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Override
        void execute(WeftClient api) {
            api.delete("/variables/" + seg(key));
            out().println("Variable " + key + " deleted");
        }
    }

    @Command(name = "import", description = "Import variables from a JSON file ({\"key\": value, ...}; '-' reads "
            + "standard input). Values that are not strings are stored as JSON; *** values (sensitive values as "
            + "exported) are skipped.", mixinStandardHelpOptions = true)
    static final class Import extends ApiCommand {
        @Parameters(index = "0", paramLabel = "FILE")
        String file;
        @Option(names = {"-a", "--action-on-existing-key"}, paramLabel = "ACTION", defaultValue = "overwrite",
                description = "What to do with a key that exists: ${COMPLETION-CANDIDATES} (default: "
                        + "${DEFAULT-VALUE}).")
        OnExisting onExisting;

        enum OnExisting { overwrite, fail, skip }

        @Override
        void execute(WeftClient api) {
            Object parsed = parse(read(file), file);
            if (!(parsed instanceof Map<?, ?> entries)) {
                throw new CliException(CliException.USAGE, file + " must hold a JSON object of keys and values,"
                        + " e.g. {\"region\": \"eu-west-1\"}");
            }
            Set<String> existing = new TreeSet<>();
            if (onExisting != OnExisting.overwrite) {
                keys(api).forEach(existing::add);
            }
            Set<String> clash = new TreeSet<>(existing);
            clash.retainAll(entries.keySet());
            if (onExisting == OnExisting.fail && !clash.isEmpty()) {
                throw new CliException(CliException.CONFLICT, "Failed. These keys: " + clash + " already exist;"
                        + " nothing was imported (use -a overwrite or -a skip)");
            }
            PrintStream err = System.err;
            int updated = 0;
            List<String> masked = new ArrayList<>();
            for (Map.Entry<?, ?> e : entries.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (clash.contains(key)) {
                    continue;
                }
                if (MASK.equals(e.getValue())) {
                    masked.add(key);
                    continue;
                }
                String value = e.getValue() instanceof String s ? s : Json.write(e.getValue());
                api.post("/variables", WeftClient.map("key", key, "value", value));
                updated++;
            }
            out().println(updated + " of " + entries.size() + " variables successfully updated.");
            if (!clash.isEmpty()) {
                out().println("The variables with these keys: " + clash + " were already present and skipped.");
            }
            if (!masked.isEmpty()) {
                err.println("weft: warning: skipped " + masked + ": their value is the mask " + MASK + " (sensitive "
                        + "values are not exported); set them with: weft variables set KEY VALUE");
            }
        }
    }

    @Command(name = "export", description = "Export every variable to a JSON file ('-': standard output). Sensitive "
            + "values are written as *** (they are write-only).", mixinStandardHelpOptions = true)
    static final class Export extends ApiCommand {
        @Parameters(index = "0", paramLabel = "FILE")
        String file;

        @Override
        void execute(WeftClient api) {
            Map<String, Object> values = new TreeMap<>();
            int masked = 0;
            for (String key : keys(api)) {
                String value = api.get("/variables/" + seg(key), Variable.class).value();
                masked += MASK.equals(value) ? 1 : 0;
                values.put(key, jsonOrText(value));
            }
            if (!export(out(), file, Json.pretty(new LinkedHashMap<>(values)) + "\n")) {
                return;
            }
            out().println(values.size() + " variables successfully exported to " + file
                    + (masked > 0 ? " (" + masked + " sensitive value(s) written as " + MASK + ")" : ""));
        }
    }

    private static List<String> keys(WeftClient api) {
        return api.getAll("/variables", VariableCollection.class, VariableCollection::variables).stream()
                .map(VariableCollectionItem::key).toList();
    }

    /** A value that is JSON as that JSON (so an export round-trips as Airflow's does), anything else as text. */
    private static Object jsonOrText(String value) {
        try {
            return Json.parse(value);
        } catch (Json.ParseException notJson) {
            return value;
        }
    }

    /** Writes an export to {@code file}, or prints it for {@code -}; false when printed. */
    static boolean export(PrintStream out, String file, String text) {
        if ("-".equals(file)) {
            out.print(text);
            return false;
        }
        try {
            Files.writeString(Path.of(file), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "could not write " + file + ": " + e.getMessage());
        }
        return true;
    }

    /** {@code text} parsed, or a usage error that names {@code what}. */
    static Object parse(String text, String what) {
        try {
            return Json.parse(text);
        } catch (Json.ParseException e) {
            throw new CliException(CliException.USAGE, what + " is not valid JSON: " + e.getMessage());
        }
    }

    /** A file's text, or standard input's for {@code -}. */
    static String read(String file) {
        try {
            return "-".equals(file) ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "could not read " + file + ": " + e.getMessage());
        }
    }
}
