package dev.weft.server.it;

import dev.weft.spi.Connection;
import dev.weft.spi.DagProvider;
import dev.weft.spi.TaskContext;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.OperatorRef;
import dev.weft.spi.dag.TriggerRule;

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

        // Branching end to end: the run's conf picks the path; the join after both paths still runs.
        DagBuilder erp = Dag.builder("branch_erp").tags("api", "branch");
        var pick = erp.task("pick_erp_system", OperatorRef.of("standard.branch", Map.of(
                "callable", ApiTestDags.class.getName() + "::pickErpSystem",
                "op_args", List.of("{{ dag_run.conf.get('system', 'new') }}"))));
        var fetchOld = erp.task("fetch_sales_old", OperatorRef.of("standard.shell", Map.of("command", "echo old")));
        var fetchNew = erp.task("fetch_sales_new", OperatorRef.of("standard.shell", Map.of("command", "echo new")));
        var join = erp.task("join_erp_branch", OperatorRef.of("standard.empty", Map.of()))
                .triggerRule(TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS);
        var strictJoin = erp.task("all_success_join", OperatorRef.of("standard.empty", Map.of()));
        pick.then(fetchOld, fetchNew);
        join.after(fetchOld, fetchNew);
        strictJoin.after(fetchOld, fetchNew);

        // XComs end to end: the second task's command renders the first one's return value (its last line of output)
        // and a variable.
        DagBuilder xcom = Dag.builder("xcom_region");
        xcom.task("first", OperatorRef.of("standard.shell", Map.of("command", "echo rows-42"))).then(xcom.task(
                "second", OperatorRef.of("standard.shell", Map.of("command",
                        "echo \"pulled {{ ti.xcom_pull(task_ids='first') }} in {{ var.value.region }}\""))));

        // A secret handed on through an XCom: the first task's last line is a sensitive variable's value; the second
        // pulls it without reading the variable, uses it (prints a part of it), and returns it again.
        DagBuilder handOff = Dag.builder("xcom_secret");
        String token = "{{ ti.xcom_pull(task_ids='fetch_token') }}";
        handOff.task("fetch_token", OperatorRef.of("standard.shell", Map.of("command",
                "echo \"{{ var.value.xcom_api_token }}\""))).then(handOff.task("use_token",
                OperatorRef.of("standard.shell", Map.of("command", "echo \"using " + token + "\"; t=\"" + token
                        + "\"; echo \"its tail is ${t:3}\"; echo \"passed on " + token + "\""))));

        // Connections end to end: a template and a task's code read the same connection, password included.
        DagBuilder conns = Dag.builder("conn_secret");
        conns.task("templated", OperatorRef.of("standard.shell", Map.of("command", "echo \"host is"
                + " {{ conn.warehouse.host }}\"; echo \"password is {{ conn.warehouse.password }}\"; echo \"uri"
                + " password is {{ conn.warehouse.extra_dejson.api_token }}\""))).then(conns.task("from_context",
                OperatorRef.of("standard.callable", Map.of("callable", ApiTestDags.class.getName()
                        + "::logConnection"))));

        // Datasets: the producer's task updates a dataset the first consumer is scheduled on; the second waits for
        // two datasets, one of which nothing updates, so its events stay queued.
        DagBuilder producer = Dag.builder("ds_producer");
        producer.task("publish", OperatorRef.of("standard.empty", Map.of())).outlets(DATASET);
        DagBuilder consumer = Dag.builder("ds_consumer").scheduleOnDatasets(DATASET);
        consumer.task("use", OperatorRef.of("standard.empty", Map.of()));
        DagBuilder waiting = Dag.builder("ds_waiting").scheduleOnDatasets(WAITED, "warehouse:never");
        waiting.task("use", OperatorRef.of("standard.empty", Map.of()));
        return List.of(chain.build(), fail.build(), daily.build(), interval.build(), vars.build(), erp.build(),
                xcom.build(), handOff.build(), conns.build(), producer.build(), consumer.build(), waiting.build());
    }

    /** The branch of {@code branch_erp}: the task that fetches from the given ERP system. */
    public static String pickErpSystem(String system) {
        return "fetch_sales_" + system;
    }

    /** Prints a connection whole, as careless task code might: the log must still not show its secrets. */
    public static String logConnection(TaskContext ctx) {
        Connection c = ctx.connection("warehouse").orElseThrow();
        ctx.log().info("login {} with password {} at {}", c.login(), c.password(), c.httpBaseUrl());
        ctx.log().info("extra token {}", c.extra().get("api_token"));
        return c.host();
    }
}
