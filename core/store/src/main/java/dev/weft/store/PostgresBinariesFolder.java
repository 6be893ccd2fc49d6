package dev.weft.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;

/**
 * The folder the embedded PostgreSQL's binaries are unpacked into, one {@code PG-<digest>} folder per binaries
 * archive, kept between starts and shared by the processes of this machine.
 *
 * <p>The library marks a binaries folder once it has written every file, and holds a lock file in it while it
 * unpacks. A start killed while unpacking leaves the folder unmarked; the library then unpacks over it, which fails
 * on a link the killed start created before the link's target ({@code FileAlreadyExistsException}), and keeps any
 * file the killed start left empty. So an unmarked folder that no process is unpacking into is removed before the
 * library starts, and the library unpacks the binaries afresh.
 */
final class PostgresBinariesFolder {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresBinariesFolder.class);
    // The library's names: its binaries folders, its mark of a finished unpack, its lock while it unpacks.
    private static final String BINARIES_PREFIX = "PG-";
    private static final String UNPACKED_MARKER = ".exists";
    private static final String UNPACKING_LOCK = "epg-lock";
    // One per user: a lock file another user created in a shared temp folder cannot be opened for writing.
    private static final String START_LOCK = "weft-start-" + System.getProperty("user.name") + ".lock";
    // A file lock excludes other processes only: threads of this JVM take this one first.
    private static final Object START_IN_THIS_JVM = new Object();

    private final Path folder;

    PostgresBinariesFolder(Path folder) {
        this.folder = folder;
    }

    /** The library's default folder, so that binaries an earlier start unpacked (or half unpacked) are found. */
    static PostgresBinariesFolder inTempFolder() {
        return new PostgresBinariesFolder(Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg"));
    }

    /**
     * Starts PostgreSQL from this folder's binaries, unpacking them when needed. One Weft process at a time checks the
     * folder and starts, so that none removes an unpack another is doing. The lock covers the whole start because the
     * library has no step that only unpacks; a concurrent start waits a few seconds.
     */
    EmbeddedPostgres start(EmbeddedPostgres.Builder builder) throws IOException {
        Files.createDirectories(folder);
        builder.setOverrideWorkingDirectory(folder.toFile());
        synchronized (START_IN_THIS_JVM) {
            try (FileChannel channel = FileChannel.open(folder.resolve(START_LOCK), CREATE, WRITE);
                 FileLock ignored = lock(channel)) {
                removeUnfinishedUnpacks();
                List<Path> unpackedBefore = binariesFolders(true);
                if (unpackedBefore.isEmpty()) {
                    LOG.info("Unpacking PostgreSQL's binaries into {} (the first start on this machine takes some"
                            + " seconds more)", folder);
                }
                try {
                    return builder.start();
                } catch (IOException | RuntimeException e) {
                    Optional<IOException> explained = removeFreshUnpacks(unpackedBefore, e);
                    if (explained.isPresent()) {
                        throw explained.get();
                    }
                    // Binaries unpacked before may be incomplete too, by a version without this check.
                    throw new IOException(e.getMessage() + "; PostgreSQL's binaries are in " + folder + ": if a start"
                            + " ran out of room while it unpacked them, remove that folder and start again", e);
                }
            }
        }
    }

    /**
     * After a start that failed: the library marks its binaries folder unpacked even when writing files failed (a
     * full disk), and every later start would use the incomplete binaries. So binaries this start unpacked and that
     * do not run ({@code postgres --version}) are removed, to be unpacked again; intact ones stay, whatever failed.
     */
    private Optional<IOException> removeFreshUnpacks(List<Path> unpackedBefore, Exception failure) throws IOException {
        List<Path> broken = new ArrayList<>();
        for (Path binaries : binariesFolders(true)) {
            if (!unpackedBefore.contains(binaries) && !runs(binaries)) {
                broken.add(binaries);
            }
        }
        if (broken.isEmpty()) {
            return Optional.empty();
        }
        try {
            for (Path binaries : broken) {
                deleteTree(binaries);
            }
        } catch (IOException e) {
            e.addSuppressed(failure);
            throw new IOException("PostgreSQL's binaries this start unpacked into " + folder + " are incomplete (a"
                    + " full disk?) and could not be removed (" + e + "): remove that folder and start again", e);
        }
        long freeMegabytes = Files.getFileStore(folder).getUsableSpace() / (1024 * 1024);
        return Optional.of(new IOException("PostgreSQL's binaries this start unpacked into " + folder + " are"
                + " incomplete (" + freeMegabytes + " MB free there now; the binaries take about 60 MB, and a full"
                + " disk leaves them so). They are removed, so the next start unpacks them again: free space there, or"
                + " have them unpacked elsewhere with JAVA_TOOL_OPTIONS=-Djava.io.tmpdir=/a/roomier/folder. The start"
                + " failed with: " + failure.getMessage(), failure));
    }

    /** Whether the server binary of a binaries folder runs. */
    private static boolean runs(Path binaries) {
        try {
            Process version = new ProcessBuilder(binaries.resolve("bin").resolve("postgres").toString(), "--version")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!version.waitFor(10, TimeUnit.SECONDS)) {
                version.destroyForcibly();
                return false;
            }
            return version.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true; // not shown broken: keep it
        }
    }

    /** The binaries folders the library marked as unpacked ({@code marked}), or those it did not. */
    private List<Path> binariesFolders(boolean marked) throws IOException {
        try (Stream<Path> children = Files.list(folder)) {
            return children.filter(p -> p.getFileName().toString().startsWith(BINARIES_PREFIX))
                    .filter(Files::isDirectory)
                    .filter(p -> Files.exists(p.resolve(UNPACKED_MARKER)) == marked)
                    .toList();
        }
    }

    private FileLock lock(FileChannel channel) throws IOException {
        FileLock lock = channel.tryLock();
        if (lock == null) {
            LOG.info("Waiting for another Weft process that is starting an embedded PostgreSQL from {}", folder);
            lock = channel.lock();
        }
        return lock;
    }

    private void removeUnfinishedUnpacks() throws IOException {
        for (Path binaries : binariesFolders(false)) {
            removeUnlessBeingUnpacked(binaries);
        }
    }

    private static void removeUnlessBeingUnpacked(Path binaries) throws IOException {
        try (FileChannel channel = FileChannel.open(binaries.resolve(UNPACKING_LOCK), CREATE, WRITE);
             FileLock unpacking = channel.tryLock()) {
            if (unpacking == null) {
                LOG.info("Another process is unpacking PostgreSQL's binaries into {}; waiting for it", binaries);
                return;
            }
            deleteTree(binaries);
        } catch (IOException e) {
            throw new IOException("found PostgreSQL's binaries in " + binaries + " only partly unpacked and could not"
                    + " remove them (" + e + "); remove that folder and start again", e);
        }
        LOG.warn("Removed the partly unpacked PostgreSQL binaries in {} (a start was stopped while it unpacked them);"
                + " unpacking them again", binaries);
    }

    private static void deleteTree(Path root) throws IOException {
        List<Path> deepestFirst;
        try (Stream<Path> paths = Files.walk(root)) {
            deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : deepestFirst) {
            Files.delete(path);
        }
    }
}
