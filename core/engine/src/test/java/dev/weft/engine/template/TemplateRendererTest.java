package dev.weft.engine.template;

import dev.weft.spi.DataInterval;
import dev.weft.spi.Operator;
import dev.weft.spi.OperatorFactory;
import dev.weft.spi.PluginContext;
import dev.weft.spi.RunType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplateRendererTest {
    private static final TemplateRenderer RENDERER = new TemplateRenderer();
    private static final Instant LOGICAL = Instant.parse("2026-11-20T00:00:00Z");

    private static TemplateContext context(Map<String, Object> conf, Map<String, Object> params) {
        return new TemplateContext("supermarkets", "load_sales", "scheduled__2026-11-20T00:00:00+00:00",
                RunType.SCHEDULED, false, LOGICAL, new DataInterval(LOGICAL, LOGICAL.plus(Duration.ofDays(1))),
                conf, params, 2);
    }

    private static final TemplateContext CTX = context(
            Map.of("supermarket_id", 17, "store", Map.of("region", Map.of("code", "NL-07"))),
            Map.of("target", "warehouse", "limits", Map.of("rows", 1000)));

    private static String render(String template) {
        return RENDERER.render(template, CTX);
    }

    @Test
    void dateStrings() {
        assertThat(render("{{ ds }}")).isEqualTo("2026-11-20");
        assertThat(render("{{ ds_nodash }}")).isEqualTo("20261120");
        assertThat(render("{{ ts }}")).isEqualTo("2026-11-20T00:00:00+00:00");
        assertThat(render("{{ ts_nodash }}")).isEqualTo("20261120T000000");
        assertThat(render("{{ ts_nodash_with_tz }}")).isEqualTo("20261120T000000+0000");
    }

    @Test
    void dateStringsOfTheReferenceExample() {
        Instant t = Instant.parse("2018-01-01T00:00:00Z");
        TemplateContext c = new TemplateContext("d", "t", "manual__x", RunType.MANUAL, true, t, new DataInterval(t, t),
                Map.of(), Map.of(), 1);
        assertThat(RENDERER.render("{{ ds }}|{{ ds_nodash }}|{{ ts }}|{{ ts_nodash }}|{{ ts_nodash_with_tz }}", c))
                .isEqualTo("2018-01-01|20180101|2018-01-01T00:00:00+00:00|20180101T000000|20180101T000000+0000");
    }

    @Test
    void microsecondsShowOnlyWhenNotZero() {
        Instant t = Instant.parse("2024-05-10T13:45:12.123456Z");
        TemplateContext c = new TemplateContext("d", "t", "manual__2024-05-10T13:45:12.123456+00:00", RunType.MANUAL,
                true, t, new DataInterval(t, t), Map.of(), Map.of(), 1);
        assertThat(RENDERER.render("{{ logical_date }}|{{ ts }}|{{ ts_nodash }}|{{ ts_nodash_with_tz }}", c))
                .isEqualTo("2024-05-10T13:45:12.123456+00:00|2024-05-10T13:45:12.123456+00:00|20240510T134512"
                        + "|20240510T134512.123456+0000");
        assertThat(RENDERER.render("{{ logical_date.microsecond }}", c)).isEqualTo("123456");
    }

    @Test
    void dateObjectsRenderLikePendulum() {
        assertThat(render("{{ logical_date }}")).isEqualTo("2026-11-20T00:00:00+00:00");
        assertThat(render("{{ data_interval_start }}")).isEqualTo("2026-11-20T00:00:00+00:00");
        assertThat(render("{{ data_interval_end }}")).isEqualTo("2026-11-21T00:00:00+00:00");
        assertThat(render("{{ dag_run.logical_date }}")).isEqualTo("2026-11-20T00:00:00+00:00");
    }

    @Test
    void dateObjectMethodsAndAttributes() {
        assertThat(render("{{ logical_date.isoformat() }}")).isEqualTo("2026-11-20T00:00:00+00:00");
        assertThat(render("{{ logical_date.isoformat(' ') }}")).isEqualTo("2026-11-20 00:00:00+00:00");
        assertThat(render("{{ logical_date.strftime('%Y/%m/%d %H:%M:%S %a %b %j') }}"))
                .isEqualTo("2026/11/20 00:00:00 Fri Nov 324");
        assertThat(render("{{ data_interval_end.year }}-{{ data_interval_end.month }}-{{ data_interval_end.day }} "
                + "{{ logical_date.hour }}:{{ logical_date.minute }}:{{ logical_date.second }}"))
                .isEqualTo("2026-11-21 0:0:0");
        assertThat(render("{{ logical_date.add(days=1, hours=6) }}")).isEqualTo("2026-11-21T06:00:00+00:00");
        assertThat(render("{{ logical_date.subtract(months=1).to_date_string() }}")).isEqualTo("2026-10-20");
        assertThat(render("{{ logical_date.in_timezone('Europe/Amsterdam') }}")).isEqualTo("2026-11-20T01:00:00+01:00");
        assertThat(render("{{ logical_date.in_tz('Europe/Amsterdam').strftime('%H:%M %Z %z') }}")).isEqualTo("01:00 CET +0100");
        assertThat(render("{{ logical_date.timestamp() }} {{ logical_date.int_timestamp }}"))
                .isEqualTo("1795132800.0 1795132800");
        assertThat(render("{{ logical_date.weekday() }} {{ logical_date.isoweekday() }}")).isEqualTo("4 5");
        assertThat(render("{{ logical_date < data_interval_end }} {{ logical_date == data_interval_start }}"))
                .isEqualTo("true true");
    }

    @Test
    void dateAddRejectsUnknownUnits() {
        assertThatThrownBy(() -> render("{{ logical_date.add(fortnights=1) }}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("unexpected keyword argument 'fortnights'");
    }

    @Test
    void dagRun() {
        assertThat(render("{{ dag_run.run_id }}")).isEqualTo("scheduled__2026-11-20T00:00:00+00:00");
        assertThat(render("{{ dag_run.run_type }}")).isEqualTo("scheduled");
        assertThat(render("{{ dag_run.external_trigger }}")).isEqualTo("false");
        assertThat(render("{{ dag_run.dag_id }}")).isEqualTo("supermarkets");
        assertThat(render("{{ dag_run.data_interval_end }}")).isEqualTo("2026-11-21T00:00:00+00:00");
        assertThat(render("{{ dag_run.conf.supermarket_id }}")).isEqualTo("17");
        assertThat(render("{{ run_id }}")).isEqualTo("scheduled__2026-11-20T00:00:00+00:00");

        TemplateContext manual = new TemplateContext("d", "t", "manual__2026-11-20T10:00:00+00:00", RunType.MANUAL,
                true, LOGICAL, new DataInterval(LOGICAL, LOGICAL), null, null, 1);
        assertThat(RENDERER.render("{{ dag_run.run_type }} {{ dag_run.external_trigger }} {{ dag_run.conf }} {{ params }}",
                manual)).isEqualTo("manual true {} {}");
    }

    @Test
    void nestedConf() {
        assertThat(render("{{ dag_run.conf.store.region.code }}")).isEqualTo("NL-07");
        assertThat(render("{{ dag_run.conf['store']['region'].code }}")).isEqualTo("NL-07");
        assertThat(render("{{ dag_run.conf.get('missing', 'fallback') }}")).isEqualTo("fallback");
        assertThat(render("{{ dag_run.conf.missing | default('d') }}")).isEqualTo("d");
        assertThat(render("{{ dag_run.conf.missing is defined }}")).isEqualTo("false");
        assertThat(render("{{ 'supermarket_id' in dag_run.conf }}")).isEqualTo("true");
    }

    @Test
    void confPrintsAsAPythonDict() {
        Map<String, Object> conf = new LinkedHashMap<>();
        conf.put("id", 17);
        conf.put("name", "it's");
        conf.put("dry_run", true);
        conf.put("none", null);
        conf.put("ratio", 0.5);
        conf.put("tags", List.of("a", 2));
        conf.put("nested", Map.of("k", "v"));
        assertThat(RENDERER.render("{{ dag_run.conf }}", context(conf, Map.of())))
                .isEqualTo("{'id': 17, 'name': \"it's\", 'dry_run': True, 'none': None, 'ratio': 0.5, 'tags': ['a', 2], "
                        + "'nested': {'k': 'v'}}");
        assertThat(RENDERER.render("{{ dag_run.conf | tojson }}", context(Map.of("a", List.of(1)), Map.of())))
                .isEqualTo("{\"a\":[1]}");
    }

    @Test
    void forLoopsOverADictGiveItsKeys() {
        Map<String, Object> conf = new LinkedHashMap<>();
        conf.put("b", 1);
        conf.put("a", 2);
        TemplateContext c = context(conf, Map.of());
        assertThat(RENDERER.render("{% for k in dag_run.conf %}{{ k }};{% endfor %}", c)).isEqualTo("b;a;");
        assertThat(RENDERER.render("{% for k, v in dag_run.conf.items() %}{{ k }}={{ v }};{% endfor %}", c))
                .isEqualTo("b=1;a=2;");
    }

    @Test
    void params() {
        assertThat(render("{{ params.target }}")).isEqualTo("warehouse");
        assertThat(render("{{ params.limits.rows }}")).isEqualTo("1000");
        assertThat(render("{{ params['target'] }}")).isEqualTo("warehouse");
        assertThat(render("{{ params.limits.rows * 2 }}")).isEqualTo("2000");
    }

    @Test
    void taskInstanceTaskAndDag() {
        assertThat(render("{{ ti.task_id }} {{ ti.dag_id }} {{ ti.run_id }} {{ ti.try_number }}"))
                .isEqualTo("load_sales supermarkets scheduled__2026-11-20T00:00:00+00:00 2");
        assertThat(render("{{ task_instance.task_id }} {{ task_instance.dag_id }} {{ task_instance.run_id }} "
                + "{{ task_instance.try_number }}"))
                .isEqualTo("load_sales supermarkets scheduled__2026-11-20T00:00:00+00:00 2");
        assertThat(render("{{ task.task_id }} {{ dag.dag_id }}")).isEqualTo("load_sales supermarkets");
        assertThat(render("{{ task_instance_key_str }}")).isEqualTo("supermarkets__load_sales__20261120");
        assertThat(render("{{ ti }}")).isEqualTo("<TaskInstance: supermarkets.load_sales scheduled__2026-11-20T00:00:00+00:00>");
    }

    @Test
    void dsAdd() {
        assertThat(render("{{ macros.ds_add(ds, 5) }}")).isEqualTo("2026-11-25");
        assertThat(render("{{ macros.ds_add(ds, -1) }}")).isEqualTo("2026-11-19");
        assertThat(render("{{ macros.ds_add(ds, -20) }}")).isEqualTo("2026-10-31");
        assertThat(render("{{ macros.ds_add('2024-02-28', 1) }}")).isEqualTo("2024-02-29");
        assertThat(render("{{ macros.ds_add('2026-12-31', 1) }}")).isEqualTo("2027-01-01");
        assertThat(render("{{ macros.ds_add(ds, 0) }}")).isEqualTo("2026-11-20");
        assertThat(render("{{ macros.ds_add(ds, params.limits.rows) }}")).isEqualTo("2029-08-16");
    }

    @Test
    void dsFormat() {
        assertThat(render("{{ macros.ds_format('2015-01-01', '%Y-%m-%d', '%m-%d-%y') }}")).isEqualTo("01-01-15");
        assertThat(render("{{ macros.ds_format('1/5/2015', '%m/%d/%Y', '%Y-%m-%d') }}")).isEqualTo("2015-01-05");
        assertThat(render("{{ macros.ds_format(ds, '%Y-%m-%d', '%d %B %Y (%A), day %j') }}"))
                .isEqualTo("20 November 2026 (Friday), day 324");
        assertThat(render("{{ macros.ds_format(ts_nodash, '%Y%m%dT%H%M%S', '%Y/%m/%d %H:%M') }}")).isEqualTo("2026/11/20 00:00");
    }

    @Test
    void dsFormatRejectsUnknownDirectives() {
        assertThatThrownBy(() -> render("{{ macros.ds_format(ds, '%Y-%m-%d', '%Y %Q') }}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("unsupported strftime directive '%Q'");
        assertThatThrownBy(() -> render("{{ macros.ds_format(ds, '%d/%m/%Y', '%Y') }}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("time data '2026-11-20' does not match format '%d/%m/%Y'");
    }

    @Test
    void unknownVariableFailsAndIsNamed() {
        assertThatThrownBy(() -> render("echo {{ supermarket_id }}"))
                .isInstanceOf(TemplateException.class)
                .hasMessage("line 1: 'supermarket_id' is undefined in template \"echo {{ supermarket_id }}\"")
                .satisfies(e -> {
                    TemplateException te = (TemplateException) e;
                    assertThat(te.path()).isEmpty();
                    assertThat(te.template()).isEqualTo("echo {{ supermarket_id }}");
                    assertThat(te.errors()).containsExactly("line 1: 'supermarket_id' is undefined");
                });
    }

    @Test
    void unknownVariableInATagOrFilterFails() {
        assertThatThrownBy(() -> render("{% if nope %}x{% endif %}"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("'nope' is undefined");
        assertThatThrownBy(() -> render("{% for x in nope %}{{ x }}{% endfor %}"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("'nope' is undefined");
        assertThatThrownBy(() -> render("{{ nope | upper }}"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("nope | upper");
    }

    /** Airflow (StrictUndefined): {@code dag_run.conf.missing} raises UndefinedError, "'dict object' has no attribute". */
    @Test
    void unknownNestedKeyFails() {
        assertThatThrownBy(() -> render("{{ dag_run.conf.missing }}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("'dag_run.conf.missing' is undefined");
        assertThatThrownBy(() -> render("{{ dag_run.conf.store.region.missing }}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("'dag_run.conf.store.region.missing' is undefined");
        assertThatThrownBy(() -> render("{{ params.nope }}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("'params.nope' is undefined");
        assertThatThrownBy(() -> render("{{ ti.nope }}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("'ti.nope' is undefined");
    }

    @Test
    void airflowConfigurationIsNotInTheContext() {
        assertThatThrownBy(() -> render("{{ conf }}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("'conf' is undefined");
    }

    @Test
    void errorNamesTheLineOfAMultiLineTemplate() {
        assertThatThrownBy(() -> render("set -e\necho {{ ds }}\necho {{ dag_run.conf.nope }}\n"))
                .isInstanceOf(TemplateException.class)
                .hasMessage("line 3 (\"echo {{ dag_run.conf.nope }}\"): 'dag_run.conf.nope' is undefined"
                        + " in template \"set -e\\necho {{ ds }}\\necho {{ dag_run.conf.nope }}\\n\"");
    }

    @Test
    void longTemplatesAreShortenedInTheMessage() {
        String template = "x".repeat(300) + "{{ nope }}";
        assertThatThrownBy(() -> render(template))
                .isInstanceOf(TemplateException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("xxx…\"").hasSizeLessThan(200));
    }

    @Test
    void syntaxErrorsFail() {
        assertThatThrownBy(() -> render("{{ 1 + }}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("line 1: Error parsing '1 +'");
        assertThatThrownBy(() -> render("{% if true %}never closed"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("Missing end tag: endif");
        assertThatThrownBy(() -> render("{{ ds }}{% endif %}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("Missing start tag");
    }

    @Test
    void includesCannotLoadFiles() {
        assertThatThrownBy(() -> render("{% include 'secrets.txt' %}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("cannot include or import");
    }

    @Test
    void valuesContainingTemplateMarkersAreNotRenderedAgain() {
        TemplateContext c = context(Map.of("cmd", "{{ ds }}"), Map.of());
        assertThat(RENDERER.render("{{ dag_run.conf.cmd }}", c)).isEqualTo("{{ ds }}");
    }

    @Test
    void jinjaStatementsWork() {
        assertThat(render("{% set n = params.limits.rows %}{% if n > 10 %}big{% else %}small{% endif %}")).isEqualTo("big");
        assertThat(render("{{ params.target | upper }}-{{ ds | replace('-', '') }}")).isEqualTo("WAREHOUSE-20261120");
        assertThat(render("{{ 'a' ~ ds_nodash }}")).isEqualTo("a20261120");
    }

    @Test
    void stringsWithoutTemplateMarkersAreReturnedAsTheyAre() {
        String plain = new String("echo ${#ARR[@]} {not a template} }} %}");
        assertThat(RENDERER.render(plain, CTX)).isSameAs(plain);
        assertThat(RENDERER.renderValue(plain, CTX)).isSameAs(plain);
        assertThat(TemplateRenderer.isTemplate(plain)).isFalse();
        assertThat(TemplateRenderer.isTemplate("a {{ b }}")).isTrue();
        assertThat(TemplateRenderer.isTemplate("{% if x %}{% endif %}")).isTrue();
        assertThat(RENDERER.render("", CTX)).isEmpty();
    }

    @Test
    void rawBlocksProtectBashSyntaxThatLooksLikeAComment() {
        assertThat(render("echo {% raw %}${#ITEMS[@]}{% endraw %} on {{ ds }}")).isEqualTo("echo ${#ITEMS[@]} on 2026-11-20");
        assertThatThrownBy(() -> render("echo ${#ITEMS[@]} on {{ ds }}")).isInstanceOf(TemplateException.class);
    }

    @Test
    void optionalValues() {
        Map<String, Object> conf = new HashMap<>();
        conf.put("dry_run", true);
        conf.put("nothing", null);
        TemplateContext c = context(conf, Map.of());
        String flag = "{% if dag_run.conf.dry_run is defined and dag_run.conf.dry_run %}--dry-run{% endif %}";
        assertThat(RENDERER.render(flag, c)).isEqualTo("--dry-run");
        assertThat(RENDERER.render(flag, CTX)).isEmpty();
        assertThat(RENDERER.render("{{ dag_run.conf.nothing | default('none') }}", c)).isEqualTo("none");
    }

    @Test
    void trailingNewlinesAndWhitespaceAreKept() {
        assertThat(render("  echo {{ ds }}\n\n")).isEqualTo("  echo 2026-11-20\n\n");
    }

    @Test
    void renderValueRendersNestedMapsAndLists() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("bash_command", "echo {{ ds }}");
        value.put("env", Map.of("TARGET", "{{ params.target }}", "ID", "{{ dag_run.conf.supermarket_id }}"));
        value.put("op_args", List.of("{{ ds_nodash }}", 3, List.of("{{ ti.try_number }}", true)));
        value.put("retries", 3);

        Object rendered = RENDERER.renderValue(value, CTX);

        assertThat(rendered).isEqualTo(Map.of(
                "bash_command", "echo 2026-11-20",
                "env", Map.of("TARGET", "warehouse", "ID", "17"),
                "op_args", List.of("20261120", 3, List.of("2", true)),
                "retries", 3));
        assertThat(new ArrayList<Object>(((Map<?, ?>) rendered).keySet())).containsExactly("bash_command", "env", "op_args", "retries");
        assertThat(value.get("bash_command")).isEqualTo("echo {{ ds }}");
    }

    @Test
    void renderValueLeavesNonStringsUntouchedAndReturnsNewCollections() {
        Object marker = new Object();
        Long number = 12345678901L;
        List<Object> list = new ArrayList<>(Arrays.asList(number, true, null, 1.5, marker, "plain"));
        Map<String, Object> map = new HashMap<>();
        map.put("list", list);
        map.put("nothing", null);

        @SuppressWarnings("unchecked")
        Map<String, Object> rendered = (Map<String, Object>) RENDERER.renderValue(map, CTX);

        assertThat(rendered).isNotSameAs(map).containsEntry("nothing", null).containsKey("list");
        List<?> renderedList = (List<?>) rendered.get("list");
        assertThat(renderedList).isNotSameAs(list).isEqualTo(list);
        assertThat(renderedList.get(0)).isSameAs(number);
        assertThat(renderedList.get(4)).isSameAs(marker);
        assertThat(renderedList.get(5)).isSameAs(list.get(5));
        assertThat(RENDERER.renderValue(number, CTX)).isSameAs(number);
        assertThat(RENDERER.renderValue(null, CTX)).isNull();
        assertThat(RENDERER.renderValue(Set.of("{{ ds }}"), CTX)).isEqualTo(Set.of("2026-11-20"));
    }

    @Test
    void renderValueErrorsNameThePath() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("bash_command", "echo ok {{ ds }}");
        value.put("env", Map.of("TARGET", "{{ params.target }}/{{ dag_run.conf.missing }}"));
        assertThatThrownBy(() -> RENDERER.renderValue(value, CTX))
                .isInstanceOf(TemplateException.class)
                .hasMessage("env.TARGET: line 1: 'dag_run.conf.missing' is undefined"
                        + " in template \"{{ params.target }}/{{ dag_run.conf.missing }}\"")
                .satisfies(e -> assertThat(((TemplateException) e).path()).isEqualTo("env.TARGET"));

        assertThatThrownBy(() -> RENDERER.renderValue(Map.of("op_args", List.of("a", List.of("b", "{{ nope }}"))), CTX))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("op_args[1][1]: line 1: 'nope' is undefined")
                .satisfies(e -> assertThat(((TemplateException) e).path()).isEqualTo("op_args[1][1]"));

        assertThatThrownBy(() -> RENDERER.renderValue("{{ nope }}", CTX))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("line 1: 'nope' is undefined");
    }

    @Test
    void variablesSetInOneStringDoNotLeakIntoTheNext() {
        assertThat(RENDERER.renderValue(List.of("{% set y = 1 %}{{ y }}", "{{ y is defined }}"), CTX))
                .isEqualTo(List.of("1", "false"));
    }

    @Test
    void extraVariables() {
        TemplateContext c = CTX.withExtra(Map.of("test_mode", false, "cfg", Map.of("value", Map.of("region", "eu"))));
        assertThat(RENDERER.render("{{ cfg.value.region }} {{ test_mode }} {{ ds }}", c)).isEqualTo("eu false 2026-11-20");
        assertThatThrownBy(() -> CTX.withExtra(Map.of("ds", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'ds' would hide the built-in variable");
    }

    @Test
    void contextCopiesItsMaps() {
        Map<String, Object> conf = new HashMap<>();
        conf.put("id", 1);
        TemplateContext c = context(conf, Map.of());
        conf.put("id", 2);
        assertThat(RENDERER.render("{{ dag_run.conf.id }}", c)).isEqualTo("1");
        assertThatThrownBy(() -> c.conf().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(c.variables()).containsKeys(TemplateContext.BUILT_IN_VARIABLES.toArray(String[]::new));
    }

    @Test
    void concurrentRenderingFromManyThreadsIsCorrect() throws Exception {
        int threads = 8;
        int perThread = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<List<String>> job = () -> {
                    List<String> mismatches = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        Instant day = LOGICAL.plus(Duration.ofDays(thread * 1000L + i));
                        TemplateContext c = new TemplateContext("dag" + thread, "task" + i, "run_" + thread + "_" + i,
                                RunType.MANUAL, true, day, new DataInterval(day, day), Map.of("n", i),
                                Map.of("t", thread), 1);
                        String expected = PyDates.ds(day) + " run_" + thread + "_" + i + " " + i + " " + thread
                                + " " + PyDates.ds(day.minus(Duration.ofDays(1))) + " dag" + thread + "__task" + i;
                        String actual = RENDERER.render("{{ ds }} {{ run_id }} {{ dag_run.conf.n }} {{ params.t }} "
                                + "{{ macros.ds_add(ds, -1) }} {{ dag.dag_id }}__{{ task.task_id }}", c);
                        if (!expected.equals(actual)) {
                            mismatches.add(expected + " != " + actual);
                        }
                    }
                    return mismatches;
                };
                futures.add(pool.submit(job));
            }
            for (Future<List<String>> f : futures) {
                assertThat(f.get()).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A type whose param {@code raw} is not templated. */
    private static final OperatorFactory<Map> TYPE = new OperatorFactory<>() {
        @Override
        public String typeId() {
            return "test.type";
        }

        @Override
        public Class<Map> paramsType() {
            return Map.class;
        }

        @Override
        public boolean isTemplated(String paramName) {
            return !paramName.equals("raw");
        }

        @Override
        public Operator<Map> create(PluginContext context) {
            throw new UnsupportedOperationException();
        }
    };

    @Test
    void paramsAreRenderedInTheirOrderWhereTheTypeSaysSo() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("path", "/data/{{ ds }}.csv");
        params.put("raw", "{{ ds }}");
        params.put("nested", Map.of("list", List.of("{{ params.target }}", 3)));
        assertThat(RENDERER.renderParams(params, TYPE, CTX)).containsExactly(
                Map.entry("path", "/data/2026-11-20.csv"),
                Map.entry("raw", "{{ ds }}"),
                Map.entry("nested", Map.of("list", List.of("warehouse", 3))));
    }

    /**
     * A DAG's params are unmodifiable maps, which build their entry set on first use only: iterating them through it
     * made the first try of each DAG new to a worker take a path the try step's compiled code had never seen, and the
     * JIT threw the whole step away (a second or more of compiler time per worker, measured by the bench's split).
     */
    @Test
    void paramsAreReadWithoutTheirEntrySet() {
        Map<String, Object> params = withoutEntrySet(Map.of("path", "{{ ds }}", "nested",
                withoutEntrySet(Map.of("k", "{{ ds_nodash }}"))));
        assertThat(RENDERER.renderParams(params, TYPE, CTX))
                .containsEntry("path", "2026-11-20").containsEntry("nested", Map.of("k", "20261120"));
    }

    private static Map<String, Object> withoutEntrySet(Map<String, Object> entries) {
        return new LinkedHashMap<>(entries) {
            @Override
            public Set<Map.Entry<String, Object>> entrySet() {
                throw new AssertionError("entrySet() used");
            }
        };
    }
}
