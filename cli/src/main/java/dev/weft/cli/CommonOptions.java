package dev.weft.cli;

import picocli.CommandLine.Option;

/**
 * The options every API command has: the server and the output format. The credentials come with the server from
 * {@link CliConfig} (environment or the config file of {@code weft login}), never from an option.
 */
final class CommonOptions {
    /** --url given before the command (weft --url URL dags list); a command's own --url wins. */
    static String rootUrl;

    @Option(names = "--url", paramLabel = "URL",
            description = "The Weft server (default: WEFT_URL, the config file, else " + CliConfig.DEFAULT_URL + ").")
    String url;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Output.Format output;

    /** The server and credentials for this command: its --url, else the root's, else the environment or file. */
    static CliConfig config(String commandUrl) {
        return CliConfig.resolve(commandUrl != null ? commandUrl : rootUrl, System::getenv);
    }

    WeftClient client() {
        CliConfig c = config(url);
        return new WeftClient(c.url(), c.user(), c.password());
    }

    boolean structured() {
        return output == Output.Format.json || output == Output.Format.yaml;
    }
}
