package dev.weft.server.it;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Starts the server as a separate process (so a test can kill -9 it), with a generated configuration file. */
final class ServerProcess {
    private ServerProcess() {
    }

    /**
     * Runs {@code weft server} with WEFT_HOME {@code home}, a free port, INFO logging into {@code home/server.log},
     * {@code settings} (YAML lines of WeftConfiguration, e.g. {@code databaseUrl: "…"}) and {@code environment}.
     */
    static Process start(Path home, String settings, Map<String, String> environment) throws IOException {
        return launch(home, settings, environment).process();
    }

    /** A started server and the port it listens on. */
    record Started(Process process, int port) {
    }

    static Started launch(Path home, String settings, Map<String, String> environment) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = home.resolve("weft.yml");
        Files.writeString(config, """
                weftHome: %s
                server:
                  type: simple
                  applicationContextPath: /
                  adminContextPath: /admin
                  connector:
                    type: http
                    port: %d
                logging:
                  level: INFO
                """.formatted(home, port) + settings.strip() + "\n");
        String classPath = String.join(File.pathSeparator, "target/classes", "target/test-classes", "target/lib/*");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "dev.weft.server.WeftApplication", "server", config.toString());
        pb.environment().putAll(environment);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("server.log").toFile()));
        return new Started(pb.start(), port);
    }
}
