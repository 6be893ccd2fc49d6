package dev.weft.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The command tree is built for the command asked for only, and whole when the arguments name none. */
class CommandTreeTest {
    @Test
    void onlyTheNamedCommandAndItsGroupAreBuilt() {
        CommandLine cl = WeftCli.commandLine(new String[] {"--url", "http://x", "dags", "list", "-o", "json"});
        assertThat(cl.getSubcommands()).containsOnlyKeys("dags");
        assertThat(cl.getSubcommands().get("dags").getSubcommands()).containsOnlyKeys("list");

        CommandLine group = WeftCli.commandLine(new String[] {"tasks", "--help"});
        assertThat(group.getSubcommands()).containsOnlyKeys("tasks");
        assertThat(group.getSubcommands().get("tasks").getSubcommands())
                .containsOnlyKeys("list", "states-for-dag-run", "state", "clear", "logs");
    }

    @Test
    void helpATypoOrNothingBuildsTheWholeTree() {
        for (String[] args : new String[][] {{"--help"}, {"dag", "list"}, {}}) {
            assertThat(WeftCli.commandLine(args).getSubcommands()).containsOnlyKeys("dags", "tasks", "pools", "variables",
                    "connections", "xcom", "datasets", "users", "plugins", "version", "login", "completion");
        }
        assertThat(WeftCli.commandLine(null).getSubcommands().get("dags").getSubcommands())
                .containsKeys("backfill", "next-execution", "show", "trigger");
    }

    @Test
    void aTypoInASubcommandIsAUsageErrorWithSuggestions() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = WeftCli.run(new String[] {"dags", "lst"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unmatched argument").contains("dags list");
    }
}
