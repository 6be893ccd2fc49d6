package dev.weft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The Weft command-line client: every command is a call of the REST API. This class is the entry point, the command
 * tree (one line per noun; the noun's class lists its commands) and the exit codes.
 */
@Command(name = "weft", mixinStandardHelpOptions = true, versionProvider = WeftCli.ClientVersion.class,
        description = "The Weft command-line client (a client of the REST API at --url, WEFT_URL, the config file "
                + "of weft login, or http://localhost:8080; credentials from WEFT_USER and WEFT_PASSWORD, or that "
                + "file).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the try followed by tasks logs -f failed", "2:usage error or bad input", "3:not found", "4:conflict (already exists)",
                "5:authentication or permission", "6:server unreachable", "7:server error"})
public final class WeftCli implements Runnable {
    /** The command tree, in the order help lists it. */
    private static final List<Noun> TREE = List.of(
            DagCommands.NOUN,
            TaskCommands.NOUN,
            PoolCommands.NOUN,
            VariableCommands.NOUN,
            ConnectionCommands.NOUN,
            XcomCommands.NOUN,
            DatasetCommands.NOUN,
            UserCommands.NOUN,
            PluginCommands.NOUN,
            ClientCommands.VERSION,
            ClientCommands.LOGIN,
            ClientCommands.COMPLETION);

    /** A top-level command and its subcommands (none for a command that is not a group). */
    record Noun(Class<?> command, List<Class<?>> subcommands) {
        String name() {
            return WeftCli.name(command);
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL",
            description = "The Weft server (default: WEFT_URL, the config file, else " + CliConfig.DEFAULT_URL + ").")
    void setUrl(String url) {
        CommonOptions.rootUrl = url;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the CLI; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CommonOptions.rootUrl = null;
        CommandLine cl = commandLine(args);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof CliException c) {
                err.println("weft: " + c.getMessage());
                return c.exitCode;
            }
            err.println("weft: unexpected error: " + e);
            return CliException.SERVER;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static String name(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    /**
     * The command line for these arguments: picocli reads the annotations of every command it is given, which costs
     * more start-up time than the request itself, so only the command the arguments name (and its group) is added
     * when they name one; otherwise (help, a typo, {@code args} null) the whole tree.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine root = new CommandLine(new WeftCli());
        List<String> words = args == null ? List.of() : commandWords(args);
        boolean namesANoun = !words.isEmpty() && TREE.stream().anyMatch(n -> n.name().equals(words.get(0)));
        for (Noun noun : TREE) {
            if (namesANoun && !noun.name().equals(words.get(0))) {
                continue;
            }
            CommandLine sub = new CommandLine(noun.command());
            boolean named = words.size() > 1 && noun.subcommands().stream().anyMatch(c -> name(c).equals(words.get(1)));
            for (Class<?> leaf : noun.subcommands()) {
                if (!named || name(leaf).equals(words.get(1))) {
                    sub.addSubcommand(new CommandLine(leaf));
                }
            }
            root.addSubcommand(sub);
        }
        return root;
    }

    /** The words of the arguments that are not options (the root's --url value skipped): the command's path. */
    private static List<String> commandWords(String[] args) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length && words.size() < 2; i++) {
            String a = args[i];
            if (a.equals("--url")) {
                i++;
            } else if (!a.startsWith("-")) {
                words.add(a);
            } else if (words.isEmpty() && !a.startsWith("--url=")) {
                return List.of(); // e.g. --help, --version: the whole tree
            }
        }
        return words;
    }

    static final class ClientVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = WeftCli.class.getPackage().getImplementationVersion();
            return new String[] {"weft-cli " + (v == null ? "dev" : v)};
        }
    }
}
