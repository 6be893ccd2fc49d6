package dev.weft.examples;

import dev.weft.spi.TaskContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The callables of the supermarket DAGs. Weft calls them by name ({@code "dev.weft.examples.Supermarkets::dataArrived"}),
 * so they are public and static, and their parameter names are the {@code op_kwargs} keys.
 */
public final class Supermarkets {
    /** The marker a supermarket writes after its last data file (the agreement in the user's notes, 6.1.1). */
    public static final String SUCCESS_FILE = "_SUCCESS";
    /** The data files a supermarket uploads. */
    public static final String DATA_FILES = "data-*.csv";

    private Supermarkets() {
    }

    /**
     * The promotion rule (the user's {@code _wait_for_supermarket}): the upload of {@code supermarket_id_} is complete
     * when its folder under {@code dataRoot} holds at least one {@code data-*.csv} file <b>and</b> a {@code _SUCCESS}
     * file. {@code _SUCCESS} alone is not enough, and neither are data files without it (they may still be uploading).
     *
     * <p>The Python original returned {@code data_files and success_file.exists()}, where {@code data_files} is a glob
     * generator, which is always truthy: there, {@code _SUCCESS} alone passed. Here the data files are really counted.
     *
     * @param supermarket_id_ the folder of one supermarket, e.g. {@code supermarket1} (named as in the user's code)
     * @param dataRoot        the folder holding one folder per supermarket (op_kwargs key {@code data_root})
     * @param context         the task's context, for the task log
     */
    public static boolean dataArrived(String supermarket_id_, String dataRoot, TaskContext context) {
        Path dir = Path.of(dataRoot, supermarket_id_);
        List<String> dataFiles = dataFiles(dir);
        boolean success = Files.isRegularFile(dir.resolve(SUCCESS_FILE));
        boolean complete = !dataFiles.isEmpty() && success;
        context.log().info("{}: {} {} file(s) {}, {} {}; {}", dir, dataFiles.size(), DATA_FILES, dataFiles,
                SUCCESS_FILE, success ? "present" : "missing",
                complete ? "the upload is complete" : "waiting for at least one data file and " + SUCCESS_FILE);
        return complete;
    }

    /** The names of the regular files matching {@code data-*.csv} in {@code dir}, sorted; empty if there is no dir. */
    static List<String> dataFiles(Path dir) {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, DATA_FILES)) {
            for (Path file : files) {
                if (Files.isRegularFile(file)) {
                    names.add(file.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        names.sort(null);
        return names;
    }

    /**
     * The user's {@code print_conf}: writes the run's {@code conf} (Airflow's {@code dag_run.conf}) to the task log.
     * Trigger the DAG with {@code -c '{"supermarket_id": 1}'} to see it.
     */
    public static void printConf(TaskContext context) {
        context.log().info("dag_run.conf: {}", context.conf());
    }
}
