package dev.weft.cli;

import dev.weft.api.model.VersionInfo;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.Console;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** The commands that are no noun of the server: {@code version}, {@code login} and {@code completion}. */
final class ClientCommands {
    static final WeftCli.Noun VERSION = new WeftCli.Noun(Version.class, List.of());
    static final WeftCli.Noun LOGIN = new WeftCli.Noun(Login.class, List.of());
    static final WeftCli.Noun COMPLETION = new WeftCli.Noun(Completion.class, List.of());

    private ClientCommands() {
    }

    @Command(name = "version", description = "The version of the Weft server (and of this client).",
            mixinStandardHelpOptions = true)
    static final class Version extends ApiCommand {
        @Override
        void execute(WeftClient api) {
            VersionInfo v = api.get("/version", VersionInfo.class);
            String client = new WeftCli.ClientVersion().getVersion()[0].substring("weft-cli ".length());
            if (common.structured()) {
                Output.value(out(), common.output, WeftClient.map("version", v.version(), "git_version",
                        v.gitVersion(), "client_version", client));
            } else {
                out().println(v.version());
            }
        }
    }

    @Command(name = "login", description = "Check a user and password against the server and save them, with the "
            + "URL, in the config file (mode 0600) that later commands read.", mixinStandardHelpOptions = true)
    static final class Login implements Callable<Integer> {
        @Option(names = "--url", paramLabel = "URL", description = "The Weft server (default: WEFT_URL, the config "
                + "file, else " + CliConfig.DEFAULT_URL + ").")
        String url;
        @Option(names = {"-u", "--username"}, paramLabel = "USERNAME", description = "The user (asked when absent).")
        String username;
        @Option(names = "--password-stdin", description = "Read the password from the first line of stdin.")
        boolean passwordStdin;

        @Override
        public Integer call() {
            CliConfig current = CommonOptions.config(url);
            String user = username;
            if (user == null) {
                Console console = System.console();
                if (console == null) {
                    throw new CliException(CliException.USAGE, "no terminal to ask for the user: give -u/--username");
                }
                user = console.readLine("User: ");
                if (user == null || user.isBlank()) {
                    throw new CliException(CliException.USAGE, "no user given");
                }
                user = user.trim();
            }
            String pw = Prompts.password(passwordStdin, "Password for " + user + " at " + current.url() + ": ", false);
            // Any authenticated request proves the credentials; listing one DAG needs only the Viewer role.
            new WeftClient(current.url(), user, pw).get("/dags?limit=1");
            Path file = CliConfig.file(System::getenv);
            new CliConfig(current.url(), user, pw).write(file);
            System.out.println("Logged in to " + current.url() + " as " + user + "; saved in " + file
                    + " (readable by you only).");
            return 0;
        }
    }

    @Command(name = "completion", description = {"Print a shell completion script for weft.",
            "bash: source <(weft completion bash)   (or save it in ~/.local/share/bash-completion/completions/weft)",
            "zsh:  source <(weft completion zsh)    (in ~/.zshrc; it loads bashcompinit)"},
            mixinStandardHelpOptions = true)
    static final class Completion implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
        String shell;

        @Override
        public Integer call() {
            if (!shell.equals("bash") && !shell.equals("zsh")) {
                throw new CliException(CliException.USAGE, "unknown shell '" + shell + "': bash or zsh");
            }
            // picocli's script serves both: in zsh it loads bashcompinit itself.
            System.out.print(AutoComplete.bash("weft", WeftCli.commandLine(null)));
            return 0;
        }
    }
}
