package dev.weft.server;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import net.sourceforge.argparse4j.inf.Namespace;

/** A Weft command with a configuration file, whose bad input or configuration is one line, not a stack trace. */
abstract class WeftCommand extends ConfiguredCommand<WeftConfiguration> {
    WeftCommand(String name, String description) {
        super(name, description);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (e instanceof IllegalArgumentException) {
            cli.getStdErr().println("weft: " + e.getMessage());
        } else {
            super.onError(cli, namespace, e);
        }
    }
}
