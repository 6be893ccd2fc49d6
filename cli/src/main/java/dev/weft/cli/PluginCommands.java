package dev.weft.cli;

import dev.weft.api.model.Plugin;
import dev.weft.api.model.PluginCollection;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
            List<Plugin> plugins = new ArrayList<>(api.getAll("/plugins", PluginCollection.class,
                    PluginCollection::plugins));
            plugins.sort(Comparator.comparing(p -> String.valueOf(p.name())));
            recordRows(List.of("name", "source", "hooks", "macros", "timetables"), plugins);
        }
    }
}
