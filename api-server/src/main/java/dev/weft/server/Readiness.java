package dev.weft.server;

import dev.weft.store.WeftDatabase;
import org.jdbi.v3.core.Jdbi;

import javax.sql.DataSource;
import java.util.function.BooleanSupplier;

/**
 * Ready when the database answers and has no change left to migrate. Once the changelog was found applied, only the
 * round trip is checked: changesets are not un-applied, and reading the changelog costs more than a probe should.
 */
final class Readiness implements BooleanSupplier {
    private final DataSource dataSource;
    private final Jdbi jdbi;
    private volatile boolean migrated;

    Readiness(DataSource dataSource, Jdbi jdbi) {
        this.dataSource = dataSource;
        this.jdbi = jdbi;
    }

    @Override
    public boolean getAsBoolean() {
        try {
            if (!migrated) {
                migrated = WeftDatabase.pendingChanges(dataSource).isEmpty();
            }
            return migrated && jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException notReady) {
            return false;
        }
    }
}
