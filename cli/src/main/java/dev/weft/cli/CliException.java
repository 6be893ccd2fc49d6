package dev.weft.cli;

/** A failure the CLI reports as one line on stderr and an exit code of its class. */
final class CliException extends RuntimeException {
    /** Exit codes, one per class of error (documented in docs/cli.md). */
    static final int USAGE = 2;
    static final int NOT_FOUND = 3;
    static final int CONFLICT = 4;
    static final int AUTH = 5;
    static final int UNREACHABLE = 6;
    static final int SERVER = 7;

    final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }
}
