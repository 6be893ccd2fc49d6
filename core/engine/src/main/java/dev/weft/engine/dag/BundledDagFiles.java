package dev.weft.engine.dag;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DAG files shipped inside a jar (the bundled examples): {@code <directory>/index} lists them, one per line. They
 * are read once, like the DAGs of a bundle on the class path, and their callables resolve through that jar's class
 * loader. Problems are import errors of {@code <source>/<file>}.
 */
public final class BundledDagFiles {
    private static final Logger LOG = LoggerFactory.getLogger(BundledDagFiles.class);

    private BundledDagFiles() {
    }

    /** Registers the DAGs of every listed file; returns their ids. */
    public static List<String> register(DagRegistry registry, ClassLoader loader, String directory,
                                        Map<String, String> variables, String source) {
        DagFileParser parser = new DagFileParser(variables);
        List<String> registered = new ArrayList<>();
        for (String name : index(loader, directory)) {
            String where = source + "/" + name;
            List<String> problems = new ArrayList<>();
            String text = read(loader, directory + "/" + name);
            if (text == null) {
                problems.add("listed in " + directory + "/index but not found");
            } else {
                DagFileParser.Result result = parser.parse(text);
                result.problems().forEach(p -> problems.add(p.toString()));
                for (DagFileParser.ParsedDag dag : result.dags()) {
                    List<String> found = registry.register(dag.spec(), loader, where);
                    if (found.isEmpty()) {
                        registered.add(dag.spec().dagId());
                    } else {
                        problems.add(dag.locate("DAG '" + dag.spec().dagId() + "': " + String.join("; ", found))
                                .toString());
                    }
                }
            }
            if (!problems.isEmpty()) {
                LOG.error("Import errors in {}:\n  {}", where, String.join("\n  ", problems));
            }
            registry.recordImportErrors(where, problems);
        }
        return registered;
    }

    private static List<String> index(ClassLoader loader, String directory) {
        String text = read(loader, directory + "/index");
        if (text == null) {
            return List.of();
        }
        return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static String read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
