package dev.weft.cli;

import picocli.CommandLine.Command;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** {@code weft plugins list}. */
final class PluginCommands {
    static final WeftCli.Noun NOUN = new WeftCli.Noun(Plugins.class, List.of(List_.class));

    private PluginCommands() {
    }

    @Command(name = "plugins", description = "Plugins.", mixinStandardHelpOptions = true)
    static final class Plugins extends GroupCommand {
    }

    @Command(name = "list", description = "List the plugins the server loaded.", mixinStandardHelpOptions = true)
    static final class List_ extends ApiCommand {
        @Override
        void execute(WeftClient api) {
            List<Map<String, Object>> plugins = Json.objects(api.getAll("/plugins", "plugins"));
            plugins.sort(Comparator.comparing(p -> String.valueOf(p.get("name"))));
            rows(List.of("name", "source", "hooks", "macros", "timetables"), plugins);
        }
    }
}
