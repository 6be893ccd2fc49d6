package dev.weft.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The server's settings, from a YAML file (`weft server config.yml`) or built by `weft standalone` from flags and
 * environment variables. Everything here becomes objects in {@link WeftApplication}; the engine never reads it.
 */
public class WeftConfiguration extends Configuration {
    /**
     * Where Weft keeps its files: embedded database, plugins, DAGs, data, work directories, the standalone password.
     * Unset in the configuration file, it is WEFT_HOME, else {@code ~/.weft}.
     */
    @JsonProperty
    private String weftHome = defaultHome(System.getenv(), System.getProperty("user.home"));

    /** A PostgreSQL JDBC URL; empty means the embedded PostgreSQL under weftHome. */
    @JsonProperty
    private String databaseUrl;

    @JsonProperty
    private String databaseUser;

    @JsonProperty
    private String databasePassword;

    /** The most task instances queued or running at once (Airflow's [core] parallelism). */
    @JsonProperty
    @Min(1)
    private int parallelism = 32;

    /** How many tries this process's worker runs at once; 0 runs no worker here. */
    @JsonProperty
    @Min(0)
    private int workerSlots = 32;

    /**
     * The port of {@code /metrics} for {@code weft scheduler} and {@code weft worker}, which have no HTTP server
     * otherwise; 0: none. The server and standalone serve {@code /metrics} on their own port.
     */
    @JsonProperty
    @Min(0)
    @Max(65535)
    private int metricsPort = 0;

    /** Whether this process runs a scheduler. */
    @JsonProperty
    private boolean runScheduler = true;

    /** Load the bundled example DAGs (Airflow's load_examples). */
    @JsonProperty
    private boolean loadExamples = true;

    /** The DAGs folder: DAG files (*.yaml, *.yml) and DAG bundle jars. Empty means {@code <weftHome>/dags}. */
    @JsonProperty
    private String dagsFolder;

    /** Seconds between two full scans of the DAGs folder; changes are also picked up at once from file-system events. */
    @JsonProperty
    @Min(1)
    private int dagsFolderScanIntervalSeconds = 30;

    /**
     * The largest DAG bundle jar the DAG processor stores in the database for workers (MB); a larger one is an import
     * error.
     */
    @JsonProperty
    @Min(1)
    private int dagBundleMaxMegabytes = 64;

    /*
     * Folders derived from weftHome are methods, not bean getters: Dropwizard builds a configuration without a file
     * by writing a default instance to JSON and reading it back, and a getter's derived value would come back as an
     * explicit setting, frozen to the default home before WEFT_HOME or --options are applied.
     */

    /** The DAGs folder: {@code dagsFolder}, else {@code <weftHome>/dags}. */
    public Path dagsFolderPath() {
        return dagsFolder == null || dagsFolder.isBlank() ? Path.of(weftHome, "dags") : Path.of(dagsFolder);
    }

    /** The home of WEFT_HOME, else {@code ~/.weft}; a blank variable counts as unset. */
    static String defaultHome(Map<String, String> environment, String userHome) {
        String home = environment.get("WEFT_HOME");
        return home != null && !home.isBlank() ? home.strip() : Path.of(userHome, ".weft").toString();
    }

    public void setDagsFolder(String dagsFolder) {
        this.dagsFolder = dagsFolder;
    }

    public int getDagBundleMaxMegabytes() {
        return dagBundleMaxMegabytes;
    }

    public int getDagsFolderScanIntervalSeconds() {
        return dagsFolderScanIntervalSeconds;
    }

    /** Whether a newly registered DAG starts paused (Airflow's dags_are_paused_at_creation). */
    @JsonProperty
    private boolean dagsArePausedAtCreation = false;

    /**
     * Seconds without a heartbeat after which a worker counts as lost and its running tries are failed. A worker that
     * cannot heartbeat stops its own tries after three quarters of this, so give every Weft process the same value.
     */
    @JsonProperty
    @Min(1)
    private int workerLostAfterSeconds = 30;

    /**
     * The most of one try's log that is kept, in bytes: its first and last halves; what lies between is cut, and the
     * log says how much. Bounds what a chatty task costs its worker and the database.
     */
    @JsonProperty
    @Min(1024)
    private long maxLogBytesPerTry = dev.weft.engine.executor.Worker.Settings.DEFAULT_MAX_LOG_BYTES_PER_TRY;

    /**
     * Seconds without a scheduler heartbeat after which {@code /api/v1/health} reports the scheduler unhealthy
     * (Airflow's {@code scheduler_health_check_threshold}); schedulers heartbeat every 5 s.
     */
    @JsonProperty
    @Min(1)
    private int schedulerHealthCheckThresholdSeconds = 30;

    public int getSchedulerHealthCheckThresholdSeconds() {
        return schedulerHealthCheckThresholdSeconds;
    }

    /** Create an {@code admin} user with a generated password on first start (what standalone does). */
    @JsonProperty
    private boolean createAdminUser = false;

    /** The largest request body the API accepts, in bytes (larger ones get 413). */
    @JsonProperty
    @Min(1)
    private long maxRequestBodyBytes = 1024 * 1024;

    /**
     * The installation's secret: keys derived from it sign the API's log continuation tokens and encrypt variables
     * at rest. Empty means the one in {@code $WEFT_HOME/secret_key} (made on first start). Every process (server,
     * scheduler, workers) must have the same one.
     */
    @JsonProperty
    private String secretKey;

    /**
     * The secrets used before the current {@code secretKey} (Airflow's {@code fernet_key = new,old}): values
     * encrypted with them stay readable, and {@code weft rotate-secret-key} encrypts them again with the current one.
     * Remove them once that has run.
     */
    @JsonProperty
    @NotNull
    private List<String> previousSecretKeys = List.of();

    /**
     * Words beyond Airflow's defaults ({@code password}, {@code secret}, {@code token}, ...) that make a variable's
     * key sensitive (its value masked), as Airflow's {@code sensitive_var_conn_names}.
     */
    @JsonProperty
    @NotNull
    private List<String> sensitiveVarConnNames = List.of();

    /**
     * The largest XCom value (a task's return value or a pushed value), in bytes of JSON. A larger one fails the
     * try with what to do: XComs pass small results and references, not data.
     */
    @JsonProperty
    @Min(1)
    private int xcomMaxBytes = dev.weft.engine.xcom.XComs.DEFAULT_MAX_BYTES;

    /** How long a web UI login lasts (Dropwizard duration syntax, e.g. {@code 12 hours}). */
    @JsonProperty
    @NotNull
    private Duration sessionLifetime = Duration.hours(12);

    public Duration getSessionLifetime() {
        return sessionLifetime;
    }

    public long getMaxRequestBodyBytes() {
        return maxRequestBodyBytes;
    }

    public void setMaxRequestBodyBytes(long maxRequestBodyBytes) {
        this.maxRequestBodyBytes = maxRequestBodyBytes;
    }

    public String getSecretKey() {
        return secretKey;
    }

    public List<String> getPreviousSecretKeys() {
        return previousSecretKeys;
    }

    public List<String> getSensitiveVarConnNames() {
        return sensitiveVarConnNames;
    }

    public boolean isCreateAdminUser() {
        return createAdminUser;
    }

    public void setCreateAdminUser(boolean createAdminUser) {
        this.createAdminUser = createAdminUser;
    }

    /** Seconds every slot of a DAG or pool may be held by poke-mode sensors, while tasks wait, before it is reported. */
    @JsonProperty
    @Min(1)
    private int sensorDeadlockAfterSeconds = 300;

    public int getSensorDeadlockAfterSeconds() {
        return sensorDeadlockAfterSeconds;
    }

    public String getWeftHome() {
        return weftHome;
    }

    public void setWeftHome(String weftHome) {
        this.weftHome = weftHome;
    }

    public String getDatabaseUrl() {
        return databaseUrl;
    }

    public void setDatabaseUrl(String databaseUrl) {
        this.databaseUrl = databaseUrl;
    }

    public String getDatabaseUser() {
        return databaseUser;
    }

    public String getDatabasePassword() {
        return databasePassword;
    }

    public int getParallelism() {
        return parallelism;
    }

    public int getWorkerSlots() {
        return workerSlots;
    }

    public int getMetricsPort() {
        return metricsPort;
    }

    public void setMetricsPort(int metricsPort) {
        this.metricsPort = metricsPort;
    }

    public boolean isRunScheduler() {
        return runScheduler;
    }

    public boolean isLoadExamples() {
        return loadExamples;
    }

    public void setLoadExamples(boolean loadExamples) {
        this.loadExamples = loadExamples;
    }

    public boolean isDagsArePausedAtCreation() {
        return dagsArePausedAtCreation;
    }

    public int getXcomMaxBytes() {
        return xcomMaxBytes;
    }

    public long getMaxLogBytesPerTry() {
        return maxLogBytesPerTry;
    }

    public int getWorkerLostAfterSeconds() {
        return workerLostAfterSeconds;
    }

    public void setWorkerLostAfterSeconds(int seconds) {
        this.workerLostAfterSeconds = seconds;
    }
}
