package dev.weft.examples;

import dev.weft.plugins.standard.Standard;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.TriggerRule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Branching, after chapter 5 of <i>Data Pipelines with Apache Airflow</i>: the umbrella company switched ERP systems,
 * so each day's sales are fetched from the system that ran on that day. {@code pick_erp_system} follows one of the two
 * fetch paths and the other is skipped; {@code join_erp_branch} ({@code none_failed_min_one_success}) runs after
 * whichever path ran. {@code latest_only} deploys the model from the latest scheduled run (or a manual one) only.
 */
public final class UmbrellaDags {
    public static final String DAG_ID = "chapter5_branching";

    private UmbrellaDags() {
    }

    /** Daily from three days ago; the ERP system changed {@code erpChangeDate} (the runs before it use the old). */
    public static DagSpec branching(Instant erpChangeDate) {
        DagBuilder dag = Dag.builder(DAG_ID).schedule("@daily").startDate(Dag.daysAgo(3))
                .description("Chapter 5: fetch sales from the ERP system of the day, deploy from the latest run only")
                .tags("chapter5", "branching");
        var start = dag.task("start", Standard.empty());
        var pick = dag.task("pick_erp_system", Standard.branch(UmbrellaDags.class, "pickErpSystem")
                .kwargs("ds", "{{ ds }}").kwargs("erp_change_date", erpChangeDate.atZone(ZoneOffset.UTC)
                        .toLocalDate().toString()));
        var fetchOld = dag.task("fetch_sales_old", Standard.shell("echo 'sales of {{ ds }} from the old ERP system'"));
        var cleanOld = dag.task("clean_sales_old", Standard.empty());
        var fetchNew = dag.task("fetch_sales_new", Standard.shell("echo 'sales of {{ ds }} from the new ERP system'"));
        var cleanNew = dag.task("clean_sales_new", Standard.empty());
        var joinErp = dag.task("join_erp_branch", Standard.empty())
                .triggerRule(TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS);
        var fetchWeather = dag.task("fetch_weather", Standard.empty());
        var cleanWeather = dag.task("clean_weather", Standard.empty());
        var joinDatasets = dag.task("join_datasets", Standard.empty());
        var train = dag.task("train_model", Standard.empty());
        var latestOnly = dag.task("latest_only", Standard.latestOnly());
        var deploy = dag.task("deploy_model", Standard.shell("echo 'deploying the model of {{ ds }}'"));

        start.then(pick, fetchWeather);
        pick.then(fetchOld, fetchNew);
        fetchOld.then(cleanOld);
        fetchNew.then(cleanNew);
        joinErp.after(cleanOld, cleanNew);
        fetchWeather.then(cleanWeather);
        joinDatasets.after(cleanWeather, joinErp);
        joinDatasets.then(train).then(latestOnly).then(deploy);
        return dag.build();
    }

    /** The bundle's version: the ERP system changed yesterday, so the earlier runs take the old path. */
    public static DagSpec branching() {
        return branching(Dag.daysAgo(1));
    }

    /**
     * The branch callable: the fetch task of the ERP system that ran on {@code ds}.
     *
     * @param ds             the run's logical date, {@code YYYY-MM-DD}
     * @param erpChangeDate  the first day of the new system, {@code YYYY-MM-DD}
     */
    public static String pickErpSystem(String ds, String erpChangeDate) {
        return LocalDate.parse(ds).isBefore(LocalDate.parse(erpChangeDate)) ? "fetch_sales_old" : "fetch_sales_new";
    }
}
