package dev.weft.store;

import dev.weft.engine.json.Json;
import dev.weft.engine.store.BundleRef;
import dev.weft.engine.store.BundleStore;
import dev.weft.engine.store.CallbackStore;
import dev.weft.engine.store.ConnectionStore;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.DatasetStore;
import dev.weft.engine.store.HeartbeatStore;
import dev.weft.engine.store.ImportErrorStore;
import dev.weft.engine.store.LogStore;
import dev.weft.engine.store.SensorWakeStore;
import dev.weft.engine.store.PoolStore;
import dev.weft.engine.store.QueryStore;
import dev.weft.engine.store.SessionStore;
import dev.weft.engine.store.RunStore;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.engine.store.Transactor;
import dev.weft.engine.store.UserStore;
import dev.weft.engine.store.VariableStore;
import dev.weft.engine.store.XComStore;
import dev.weft.engine.store.WorkerStore;
import dev.weft.spi.RunState;
import dev.weft.spi.RunType;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.DagSpec;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Scope;
import liquibase.ui.LoggerUIService;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.ArgumentFactory;
import org.jdbi.v3.core.extension.Extensions;
import org.jdbi.v3.core.generic.GenericType;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The PostgreSQL store: applies the Liquibase changelog and hands out the DAOs that implement the engine ports. */
public final class WeftDatabase {
    public static final String CHANGELOG = "db/changelog/db.changelog-master.yaml";

    private final Jdbi jdbi;
    // On-demand proxies are thread-safe and cost a reflective proxy to make: one of each, made here.
    private final DagStore dags;
    private final BundleStore bundles;
    private final ImportErrorStore importErrors;
    private final RunStore runs;
    private final TaskInstanceStore taskInstances;
    private final SensorWakeStore sensorWakes;
    private final LogStore logs;
    private final WorkerStore workers;
    private final HeartbeatStore heartbeats;
    private final UserStore users;
    private final PoolStore pools;
    private final QueryStore queries;
    private final SessionStore sessions;
    private final VariableStore variables;
    private final XComStore xcoms;
    private final ConnectionStore connections;
    private final CallbackStore callbacks;
    private final DatasetStore datasets;
    private final Transactor transactor;

    public WeftDatabase(DataSource dataSource) {
        this.jdbi = configure(Jdbi.create(dataSource));
        this.dags = ScopedDaos.create(jdbi, DagDao.class);
        this.bundles = ScopedDaos.create(jdbi, BundleDao.class);
        this.importErrors = ScopedDaos.create(jdbi, ImportErrorDao.class);
        this.runs = ScopedDaos.create(jdbi, RunDao.class);
        this.taskInstances = ScopedDaos.create(jdbi, TaskInstanceDao.class);
        this.sensorWakes = ScopedDaos.create(jdbi, SensorWakeDao.class);
        this.logs = ScopedDaos.create(jdbi, LogDao.class);
        this.workers = ScopedDaos.create(jdbi, WorkerDao.class);
        this.heartbeats = ScopedDaos.create(jdbi, HeartbeatDao.class);
        this.users = ScopedDaos.create(jdbi, UserDao.class);
        this.pools = ScopedDaos.create(jdbi, PoolDao.class);
        this.queries = ScopedDaos.create(jdbi, ApiQueryDao.class);
        this.sessions = ScopedDaos.create(jdbi, SessionDao.class);
        this.variables = ScopedDaos.create(jdbi, VariableDao.class);
        this.xcoms = ScopedDaos.create(jdbi, XComDao.class);
        this.connections = ScopedDaos.create(jdbi, ConnectionDao.class);
        this.callbacks = ScopedDaos.create(jdbi, CallbackDao.class);
        this.datasets = ScopedDaos.create(jdbi, DatasetDao.class);
        this.transactor = new JdbiTransactor(jdbi, new ScopedStores(runs, taskInstances, callbacks, datasets));
    }

    /** Applies every pending changeset; safe to run at each start and from several processes at once. */
    public static void migrate(DataSource dataSource) {
        withLiquibase(dataSource, "migrate", true, liquibase -> {
            // Liquibase reports through the log, not on standard output.
            liquibase.setShowSummaryOutput(UpdateSummaryOutputEnum.LOG);
            Scope.child(Map.of(Scope.Attr.ui.name(), new LoggerUIService()),
                    () -> liquibase.update(new Contexts(), new LabelExpression()));
            return null;
        });
    }

    /** The changesets not yet applied, as {@code file::id}. */
    public static List<String> pendingChanges(DataSource dataSource) {
        return withLiquibase(dataSource, "read the changelog state of", false, liquibase ->
                liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression()).stream()
                        .map(c -> c.getFilePath() + "::" + c.getId()).toList());
    }

    private interface LiquibaseWork<T> {
        T run(Liquibase liquibase) throws Exception;
    }

    /**
     * Liquibase's lock cannot serialize the first migration of a new database: creating its lock table is itself the
     * race (processes started together failed with a duplicate key in pg_type). A session advisory lock, taken before
     * Liquibase looks at the database, makes concurrent migrations wait for each other.
     */
    private static final long MIGRATION_LOCK = 0x7765667444424dL; // "weftDBM"

    private static <T> T withLiquibase(DataSource dataSource, String what, boolean exclusive, LiquibaseWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            if (exclusive) {
                advisoryLock(connection, "pg_advisory_lock");
            }
            try {
                return runLiquibase(connection, work);
            } finally {
                if (exclusive) {
                    advisoryLock(connection, "pg_advisory_unlock");
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not " + what + " the Weft database: " + e.getMessage(), e);
        }
    }

    private static void advisoryLock(Connection connection, String function) throws java.sql.SQLException {
        try (var statement = connection.prepareStatement("SELECT " + function + "(?)")) {
            statement.setLong(1, MIGRATION_LOCK);
            statement.execute();
        }
    }

    private static <T> T runLiquibase(Connection connection, LiquibaseWork<T> work) throws Exception {
        Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
        @SuppressWarnings("deprecation")
        Liquibase liquibase = new Liquibase(CHANGELOG,
                new ClassLoaderResourceAccessor(WeftDatabase.class.getClassLoader()), database);
        try {
            return work.run(liquibase);
        } finally {
            // Liquibase turns auto-commit off; a pooled connection must go back as it came.
            connection.setAutoCommit(true);
        }
    }

    private static Jdbi configure(Jdbi jdbi) {
        jdbi.installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
        jdbi.getConfig(Extensions.class).registerHandlerFactory(new PreparedDefaultMethods());
        jdbi.registerArgument(wireArgument(TaskState.class, TaskState::wireName));
        jdbi.registerArgument(wireArgument(RunState.class, RunState::wireName));
        jdbi.registerArgument(wireArgument(RunType.class, RunType::wireName));
        jdbi.registerColumnMapper(TaskState.class, (rs, col, ctx) -> TaskState.fromWire(rs.getString(col)));
        jdbi.registerColumnMapper(RunState.class, (rs, col, ctx) -> RunState.fromWire(rs.getString(col)));
        jdbi.registerColumnMapper(RunType.class, (rs, col, ctx) -> RunType.fromWire(rs.getString(col)));
        jdbi.registerColumnMapper(DagSpec.class, (rs, col, ctx) -> Json.read(rs.getString(col), DagSpec.class));
        jdbi.registerColumnMapper(new GenericType<List<BundleRef>>() { },
                (rs, col, ctx) -> List.of(Json.read(rs.getString(col), BundleRef[].class)));
        jdbi.registerColumnMapper(new GenericType<Map<String, Object>>() { },
                (rs, col, ctx) -> {
                    String json = rs.getString(col);
                    return json == null ? null : Json.readObject(json);
                });
        jdbi.registerArgument(new ArrayArguments());
        jdbi.registerRowMapper(new RecordRows());
        return jdbi;
    }

    /**
     * Binds an enum as its lower-case wire name ({@code up_for_retry}) rather than its Java name. Preparable, because
     * SQL object methods bind through prepared factories only and would otherwise fall back to Jdbi's built-in enum
     * binding ({@code UP_FOR_RETRY}).
     */
    private static <E> ArgumentFactory.Preparable wireArgument(Class<E> type, Function<E, String> wire) {
        return (argType, config) -> argType != type ? Optional.empty()
                : Optional.of(value -> (position, statement, ctx) -> {
                    if (value == null) {
                        statement.setNull(position, Types.VARCHAR);
                    } else {
                        statement.setString(position, wire.apply(type.cast(value)));
                    }
                });
    }

    /**
     * What is wrong with the server's settings for Weft, one line each; empty when nothing is. Today: autovacuum.
     * Every task lifecycle leaves dead row versions behind (each state change is a new one), so without vacuuming the
     * queueing and run-starting queries slow down with history.
     */
    public List<String> settingWarnings() {
        return settingWarnings(jdbi.withHandle(h -> h.createQuery("SELECT current_setting('autovacuum')")
                .mapTo(String.class).one()));
    }

    static List<String> settingWarnings(String autovacuum) {
        return "on".equals(autovacuum) ? List.of() : List.of("PostgreSQL runs with autovacuum " + autovacuum
                + ": the dead row versions every task leaves behind pile up and scheduling slows down with history."
                + " Turn it on (autovacuum = on in postgresql.conf) or VACUUM task_instance and dag_run regularly.");
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DagStore dags() {
        return dags;
    }

    public BundleStore bundles() {
        return bundles;
    }

    public ImportErrorStore importErrors() {
        return importErrors;
    }

    public RunStore runs() {
        return runs;
    }

    public TaskInstanceStore taskInstances() {
        return taskInstances;
    }

    public SensorWakeStore sensorWakes() {
        return sensorWakes;
    }

    public LogStore logs() {
        return logs;
    }

    public WorkerStore workers() {
        return workers;
    }

    public HeartbeatStore heartbeats() {
        return heartbeats;
    }

    public UserStore users() {
        return users;
    }

    public PoolStore pools() {
        return pools;
    }

    public QueryStore queries() {
        return queries;
    }

    public SessionStore sessions() {
        return sessions;
    }

    public VariableStore variables() {
        return variables;
    }

    public XComStore xcoms() {
        return xcoms;
    }

    public ConnectionStore connections() {
        return connections;
    }

    public CallbackStore callbacks() {
        return callbacks;
    }

    public DatasetStore datasets() {
        return datasets;
    }

    public Transactor transactor() {
        return transactor;
    }

    /** The store ports a transaction gives its work: the scoped DAOs, bound to the transaction's handle when used. */
    private record ScopedStores(RunStore runs, TaskInstanceStore taskInstances, CallbackStore callbacks,
                                DatasetStore datasets) implements Transactor.Stores {
    }
}
