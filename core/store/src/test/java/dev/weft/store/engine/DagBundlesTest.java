package dev.weft.store.engine;

import dev.weft.engine.dag.BundleUnavailableException;
import dev.weft.engine.dag.DagBundles;
import dev.weft.engine.plugin.PluginRegistry;
import dev.weft.engine.store.BundleRef;
import dev.weft.engine.store.BundleStore;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.OperatorRef;
import dev.weft.store.TestDatabase;
import dev.weft.store.WeftDatabase;
import dev.weft.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bundle versions on real PostgreSQL: what one process publishes, another (its own cache) fetches, checks and loads;
 * what cannot be had is an exception naming the version; old versions are pruned, referenced ones kept.
 */
class DagBundlesTest {
    private static final PluginRegistry PLUGINS = PluginRegistry.load(DagBundlesTest.class.getClassLoader(), null);
    private static final long LIMIT = 1_048_576;

    @TempDir
    Path dir;
    private final TestDatabase testDb = TestDatabase.create();
    private final WeftDatabase db = testDb.database();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));

    @AfterEach
    void stop() {
        testDb.close();
    }

    private DagBundles bundles(String cache) {
        return new DagBundles(db.bundles(), dir.resolve(cache), LIMIT, PLUGINS, clock);
    }

    @Test
    void aVersionPublishedByOneProcessIsFetchedCheckedAndLoadedByAnother() throws Exception {
        Path jar = jar("acme-v1.jar", "v1");
        BundleRef ref = bundles("scheduler").publish("team/acme.jar", jar);
        assertThat(ref).isEqualTo(new BundleRef("team/acme.jar", sha256(jar)));
        assertThat(bundles("scheduler").publish("team/acme.jar", jar)).as("the same bytes: the same version")
                .isEqualTo(ref);
        assertThat(versions("team/acme.jar")).containsExactly(ref.version());

        assertThat(greeting(bundles("worker").loader(ref))).isEqualTo("v1");
        Path cached = dir.resolve("worker/team_acme.jar/" + ref.version() + ".jar");
        assertThat(sha256(cached)).isEqualTo(ref.version());

        // A damaged copy in a cache (a disk fault, a copy by hand) is replaced by the database's.
        Path damaged = dir.resolve("other-worker/team_acme.jar/" + ref.version() + ".jar");
        Files.createDirectories(damaged.getParent());
        Files.write(damaged, new byte[(int) Files.size(jar)]); // its size is right, its bytes are not
        assertThat(greeting(bundles("other-worker").loader(ref))).isEqualTo("v1");
        assertThat(sha256(damaged)).isEqualTo(ref.version());
    }

    @Test
    void triesThatNeedAVersionAtOnceFetchItOnceAndShareItsLoader() throws Exception {
        BundleRef ref = bundles("scheduler").publish("acme.jar", jar("acme.jar", "v1"));
        AtomicInteger fetches = new AtomicInteger();
        BundleStore counting = new BundleStore() {
            @Override
            public boolean put(BundleRef r, byte[] content, Instant storedAt) {
                return db.bundles().put(r, content, storedAt);
            }

            @Override
            public Optional<byte[]> content(BundleRef r) {
                fetches.incrementAndGet();
                return db.bundles().content(r);
            }

            @Override
            public int prune(String name, int keep) {
                return db.bundles().prune(name, keep);
            }
        };
        DagBundles worker = new DagBundles(counting, dir.resolve("worker"), LIMIT, PLUGINS, clock);
        try (ExecutorService tries = Executors.newFixedThreadPool(8)) {
            List<Future<ClassLoader>> loaders = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                loaders.add(tries.submit(() -> worker.loader(List.of(ref))));
            }
            ClassLoader first = loaders.get(0).get();
            for (Future<ClassLoader> loader : loaders) {
                assertThat(loader.get()).isSameAs(first);
            }
        }
        assertThat(fetches).hasValue(1);
    }

    @Test
    void aVersionThatCannotBeHadIsAnExceptionNamingIt() throws Exception {
        BundleRef ref = bundles("scheduler").publish("acme.jar", jar("acme.jar", "v1"));
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE dag_bundle SET content = '\\x00'::bytea").execute());
        assertThatThrownBy(() -> bundles("worker").loader(ref)).isInstanceOf(BundleUnavailableException.class)
                .hasMessageStartingWith("bundle acme.jar version " + ref.version().substring(0, 12)
                        + ": the database holds corrupt bytes");

        db.jdbi().useHandle(h -> h.createUpdate("DELETE FROM dag_bundle").execute());
        DagBundles worker = bundles("worker");
        assertThatThrownBy(() -> worker.loader(ref)).hasMessageStartingWith("bundle acme.jar version "
                + ref.version().substring(0, 12) + ": not in the database");
        assertThatThrownBy(() -> worker.loader(ref)).as("a failure is not remembered: the next try asks again")
                .isInstanceOf(BundleUnavailableException.class);
    }

    @Test
    void aJarOverTheLimitOrNotAJarIsRefusedAndNotStored() throws Exception {
        Path big = dir.resolve("big.jar");
        Files.write(big, new byte[(int) LIMIT + 1]);
        assertThatThrownBy(() -> bundles("scheduler").publish("big.jar", big))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.0 MB a bundle may have (dagBundleMaxMegabytes)");
        Path notAJar = Files.writeString(dir.resolve("bad.jar"), "not a zip");
        assertThatThrownBy(() -> bundles("scheduler").publish("bad.jar", notAJar)).isInstanceOf(IOException.class);
        assertThat(versions("big.jar")).isEmpty();
        assertThat(versions("bad.jar")).isEmpty();
    }

    @Test
    void oldVersionsArePrunedUnlessADagStillReferencesThem() throws Exception {
        DagBundles scheduler = bundles("scheduler");
        BundleRef v1 = scheduler.publish("acme.jar", jar("a1.jar", "v1"));
        DagBuilder b = Dag.builder("still_on_v1");
        b.task("t", OperatorRef.of("test.noop", Map.of()));
        db.dags().upsert(b.build(), "h", "acme.jar", List.of(v1), false, clock.instant());
        clock.advance(Duration.ofMinutes(1));
        BundleRef v2 = scheduler.publish("acme.jar", jar("a2.jar", "v2"));
        clock.advance(Duration.ofMinutes(1));
        BundleRef v3 = scheduler.publish("acme.jar", jar("a3.jar", "v3"));
        clock.advance(Duration.ofMinutes(1));
        BundleRef v4 = scheduler.publish("acme.jar", jar("a4.jar", "v4"));

        assertThat(versions("acme.jar")).as("the two newest, and the one a DAG references")
                .containsExactlyInAnyOrder(v1.version(), v3.version(), v4.version()).doesNotContain(v2.version());
    }

    private List<String> versions(String name) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT version FROM dag_bundle WHERE name = :name")
                .bind("name", name).mapTo(String.class).list());
    }

    /** A jar whose greeting.txt says {@code greeting}. */
    private Path jar(String name, String greeting) throws IOException {
        Path jar = dir.resolve("build").resolve(name);
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("greeting.txt"));
            out.write(greeting.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    private static String greeting(ClassLoader loader) throws IOException {
        try (InputStream in = loader.getResourceAsStream("greeting.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
