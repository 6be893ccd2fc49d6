package dev.weft.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** What a command asks its user: a confirmation, a password. */
final class Prompts {
    private Prompts() {
    }

    /** Asks a yes/no question on stdin; only y or yes is a yes (end of input is a no). */
    static boolean confirm(PrintStream out, String question) {
        out.print(question);
        out.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
        } catch (IOException ex) {
            return false;
        }
    }

    /** Reads a password: the first line of stdin, or asked twice on the terminal without echo. */
    static String password(boolean fromStdin, String prompt, boolean confirm) {
        if (fromStdin) {
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    throw new CliException(CliException.USAGE, "--password-stdin: no password on stdin");
                }
                return line;
            } catch (IOException e) {
                throw new CliException(CliException.USAGE, "--password-stdin: cannot read stdin: " + e.getMessage());
            }
        }
        Console console = System.console();
        if (console == null) {
            throw new CliException(CliException.USAGE, "no terminal to ask for the password: pipe it in with "
                    + "--password-stdin");
        }
        char[] first = console.readPassword("%s", prompt);
        if (first == null || first.length == 0) {
            throw new CliException(CliException.USAGE, "no password given");
        }
        if (confirm) {
            char[] again = console.readPassword("Repeat for confirmation: ");
            if (again == null || !Arrays.equals(first, again)) {
                throw new CliException(CliException.USAGE, "the passwords do not match");
            }
        }
        return new String(first);
    }
}
