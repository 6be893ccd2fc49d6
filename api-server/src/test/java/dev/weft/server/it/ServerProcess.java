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
        return launch("server", home, settings, environment);
    }

    /**
     * Runs {@code weft <command> CONFIG.yml} ({@code server}, {@code scheduler}, {@code worker}, {@code users create}) as
     * {@link #start}, with its configuration in {@code home/weft-<command>.yml} (server: {@code weft.yml}) and its
     * output in {@code home/<command>.log}; {@code arguments} follow the configuration file.
     */
    static Started launch(String command, Path home, String settings, Map<String, String> environment,
                          String... arguments) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        boolean server = command.equals("server");
        String name = command.replace(' ', '-');
        Path config = home.resolve(server ? "weft.yml" : "weft-" + name + ".yml");
        Files.writeString(config, """
                weftHome: %s
                server:
                  type: simple
                  applicationContextPath: /
                  adminContextPath: /ops
                  connector:
                    type: http
                    port: %d
                logging:
                  level: INFO
                """.formatted(home, port) + settings.strip() + "\n");
        String classPath = String.join(File.pathSeparator, "target/classes", "target/test-classes", "target/lib/*");
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
                "dev.weft.server.WeftApplication"));
        cmd.addAll(java.util.List.of(command.split(" ")));
        cmd.add(config.toString());
        cmd.addAll(java.util.List.of(arguments));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(environment);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve(name + ".log").toFile()));
        return new Started(pb.start(), port);
    }
}
