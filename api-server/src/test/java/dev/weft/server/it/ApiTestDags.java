package dev.weft.server.it;

import dev.weft.spi.DagProvider;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.OperatorRef;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** DAGs for the API tests, only when the system property {@code weft.api-test} is set (the in-process server). */
public final class ApiTestDags implements DagProvider {
    static final String DATASET = "s3://warehouse/sales";
    /** Without a slash: the server refuses an encoded slash ({@code %2F}) in a path, so this one can be addressed there. */
    static final String WAITED = "warehouse:stock";

    @Override
    public List<DagSpec> dags() {
        if (System.getProperty("weft.api-test") == null) {
            return List.of();
        }
        DagBuilder chain = Dag.builder("api_chain").description("a >> b >> c").tags("api", "chain")
                .param("greeting", "hello");
        var a = chain.task("a", OperatorRef.of("standard.shell", Map.of("command",
                "echo 'hello from a'; echo \"conf says {{ dag_run.conf.get('word', 'nothing') }}\"")));
        var b = chain.task("b", OperatorRef.of("standard.empty", Map.of())).retries(2)
                .retryDelay(Duration.ofSeconds(30));
        var c = chain.task("c", OperatorRef.of("standard.empty", Map.of()));
        a.then(b).then(c);

        DagBuilder fail = Dag.builder("api_fail").tags("api");
        var boom = fail.task("boom", OperatorRef.of("standard.shell", Map.of("command", "echo failing; exit 3")));
        boom.then(fail.task("after", OperatorRef.of("standard.empty", Map.of())));

        DagBuilder daily = Dag.builder("api_daily").schedule("@daily").startDate(Instant.parse("2026-01-01T00:00:00Z"))
                .catchup(false).pausedOnCreation(true).dagrunTimeout(Duration.ofHours(2)).tags("api", "scheduled");
        daily.task("only", OperatorRef.of("standard.empty", Map.of()));

        DagBuilder interval = Dag.builder("api_interval").schedule(Duration.ofHours(5))
                .startDate(Instant.parse("2026-01-01T00:00:00Z")).pausedOnCreation(true);
        interval.task("only", OperatorRef.of("standard.empty", Map.of()));

        // Airflow Variables end to end: the second task's command reads a plain and a sensitive variable.
        DagBuilder vars = Dag.builder("var_region");
        vars.task("first", OperatorRef.of("standard.empty", Map.of())).then(vars.task("second",
                OperatorRef.of("standard.shell", Map.of("command", "echo \"region is {{ var.value.region }}\";"
                        + " echo \"token is {{ var.value.deploy_token }}\""))));
        // Datasets: the producer's task updates a dataset the first consumer is scheduled on; the second waits for
        // two datasets, one of which nothing updates, so its events stay queued.
        DagBuilder producer = Dag.builder("ds_producer");
        producer.task("publish", OperatorRef.of("standard.empty", Map.of())).outlets(DATASET);
        DagBuilder consumer = Dag.builder("ds_consumer").scheduleOnDatasets(DATASET);
        consumer.task("use", OperatorRef.of("standard.empty", Map.of()));
        DagBuilder waiting = Dag.builder("ds_waiting").scheduleOnDatasets(WAITED, "warehouse:never");
        waiting.task("use", OperatorRef.of("standard.empty", Map.of()));
        return List.of(chain.build(), fail.build(), daily.build(), interval.build(), vars.build(), producer.build(),
                consumer.build(), waiting.build());
    }
}
