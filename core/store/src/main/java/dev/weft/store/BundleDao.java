package dev.weft.store;

import dev.weft.engine.store.BundleRef;
import dev.weft.engine.store.BundleStore;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.Optional;

/** The {@code dag_bundle} table: bundle jars by name and content version. */
public interface BundleDao extends BundleStore {
    @Override
    default boolean put(BundleRef ref, byte[] content, Instant storedAt) {
        // Each scheduler stores the jars it reads at every start: ask first, rather than send the bytes again.
        return !exists(ref.name(), ref.version()) && insert(ref.name(), ref.version(), content, content.length,
                storedAt);
    }

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM dag_bundle WHERE name = :name AND version = :version)")
    boolean exists(@Bind("name") String name, @Bind("version") String version);

    @SqlUpdate("""
            INSERT INTO dag_bundle (name, version, content, size, stored_at)
            VALUES (:name, :version, :content, :size, :at)
            ON CONFLICT (name, version) DO NOTHING""")
    boolean insert(@Bind("name") String name, @Bind("version") String version, @Bind("content") byte[] content,
                   @Bind("size") long size, @Bind("at") Instant storedAt);

    @Override
    default Optional<byte[]> content(BundleRef ref) {
        return content(ref.name(), ref.version());
    }

    @SqlQuery("SELECT content FROM dag_bundle WHERE name = :name AND version = :version")
    Optional<byte[]> content(@Bind("name") String name, @Bind("version") String version);

    // A DAG references its versions in dag.bundles; few DAGs and few versions, so the scan of dag is cheap.
    @Override
    @SqlUpdate("""
            DELETE FROM dag_bundle b
            WHERE b.name = :name
              AND b.version NOT IN (SELECT version FROM dag_bundle WHERE name = :name
                                    ORDER BY stored_at DESC, version LIMIT :keep)
              AND NOT EXISTS (SELECT 1 FROM dag d, jsonb_array_elements(d.bundles) e
                              WHERE e ->> 'name' = b.name AND e ->> 'version' = b.version)""")
    int prune(@Bind("name") String name, @Bind("keep") int keep);
}
