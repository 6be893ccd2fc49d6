package dev.weft.cli;

import picocli.CommandLine;

/** A command that only groups subcommands (a noun such as {@code dags}): given alone, it is a usage error. */
abstract class GroupCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
