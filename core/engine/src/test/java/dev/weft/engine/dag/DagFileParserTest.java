package dev.weft.engine.dag;

import dev.weft.engine.json.Json;
import dev.weft.spi.dag.Callback;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.OperatorRef;
import dev.weft.spi.dag.SensorMode;
import dev.weft.spi.dag.SensorRef;
import dev.weft.spi.dag.TriggerRule;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DagFileParserTest {
    private final DagFileParser parser = new DagFileParser(Map.of("DATA", "/srv/data"));

    /** Every DagSpec field set in Java, and the same DAG as a file. */
    private static DagSpec everyFieldInJava() {
        DagBuilder dag = Dag.builder("every_field").description("all of it").schedule("0 16 * * *")
                .timezone("Europe/Amsterdam").startDate(Instant.parse("2026-01-01T00:00:00Z"))
                .endDate(Instant.parse("2027-01-01T06:30:00Z")).catchup(false).maxActiveRuns(3).maxActiveTasks(50)
                .dagrunTimeout(Duration.ofHours(2)).pausedOnCreation(true).param("supermarket_id", 1)
                .param("nested", Map.of("a", List.of(1, 2.5, true, "x"))).tags("chapter6", "supermarket")
                .onFailureCallback(Callback.notifier("http.webhook", Map.of("url", "https://hooks.example.com/x",
                        "text", "{{ run_id }} failed")))
                .onSuccessCallback(Callback.callable("com.acme.Alerts::runDone"))
                .defaultArgs(d -> d.retries(2).retryDelay(Duration.ofMinutes(1)).retryExponentialBackoff(true)
                        .maxRetryDelay(Duration.ofMinutes(10)).executionTimeout(Duration.ofMinutes(30)).pool("etl")
                        .triggerRule(TriggerRule.ALL_DONE).onFailureCallback(Callback.callable("com.acme.Alerts::failed"))
                        .onRetryCallback(Callback.callable("com.acme.Alerts::retrying")));
        var wait = dag.sensor("wait", SensorRef.of("standard.file_sensor", Map.of("filepath", "/srv/data/x.csv")))
                .mode(SensorMode.RESCHEDULE).pokeInterval(Duration.ofMinutes(1)).timeout(Duration.ofHours(10))
                .softFail(true).exponentialBackoff(true).maxWait(Duration.ofMinutes(5));
        var copy = dag.task("copy", OperatorRef.of("standard.shell", Map.of("command", "cp a b", "env", Map.of("X", "1"))))
                .retries(5).retryDelay(Duration.ofSeconds(30)).pool("copy_pool").poolSlots(2).priorityWeight(7)
                .triggerRule(TriggerRule.ONE_SUCCESS).executionTimeout(Duration.ofMinutes(3))
                .retryExponentialBackoff(false).maxRetryDelay(Duration.ofMinutes(2))
                .onFailureCallback(Callback.callable("com.acme.Alerts::copyFailed"),
                        Callback.notifier("standard.email", Map.of("to", "oncall@example.com")))
                .onSuccessCallback(Callback.callable("com.acme.Alerts::copied"));
        var process = dag.task("process", OperatorRef.of("standard.empty", Map.of()));
        var report = dag.task("report", OperatorRef.of("standard.empty", Map.of()));
        Dag.chain(wait, copy, process);
        report.after(process, wait);
        return dag.build();
    }

    static final String EVERY_FIELD_YAML = """
            dag_id: every_field
            description: all of it
            schedule: "0 16 * * *"
            timezone: Europe/Amsterdam
            start_date: 2026-01-01
            end_date: "2027-01-01T06:30:00Z"
            catchup: false
            max_active_runs: 3
            max_active_tasks: 50
            dagrun_timeout: PT2H
            is_paused_upon_creation: true
            params:
              supermarket_id: 1
              nested: {a: [1, 2.5, true, x]}
            tags: [chapter6, supermarket]
            on_failure_callback:
              type: http.webhook
              params: {url: "https://hooks.example.com/x", text: "{{ run_id }} failed"}
            on_success_callback: com.acme.Alerts::runDone
            default_args:
              retries: 2
              retry_delay: 60
              retry_exponential_backoff: true
              max_retry_delay: PT10M
              execution_timeout: PT30M
              pool: etl
              trigger_rule: all_done
              on_failure_callback: {callable: com.acme.Alerts::failed}
              on_retry_callback: [com.acme.Alerts::retrying]
            tasks:
              - task_id: wait
                type: standard.file_sensor
                sensor: {mode: reschedule, poke_interval: PT1M, timeout: PT10H, soft_fail: true,
                         exponential_backoff: true, max_wait: 300}
                params:
                  filepath: ${env:DATA}/x.csv
              - task_id: copy
                type: standard.shell
                params: {command: cp a b, env: {X: "1"}}
                retries: 5
                retry_delay: PT30S
                retry_exponential_backoff: false
                max_retry_delay: PT2M
                execution_timeout: PT3M
                pool: copy_pool
                pool_slots: 2
                priority_weight: 7
                trigger_rule: one_success
                on_failure_callback:
                  - com.acme.Alerts::copyFailed
                  - {type: standard.email, params: {to: oncall@example.com}}
                on_success_callback: com.acme.Alerts::copied
              - task_id: process
                type: standard.empty
              - task_id: report
                type: standard.empty
                upstream: [process, wait]
            chains:
              - [wait, copy, process]
            """;

    @Test
    void aDagFileGivesTheSameSpecAsItsJavaTwinFieldByField() {
        DagFileParser.Result result = parser.parse(EVERY_FIELD_YAML);
        assertThat(result.problems()).isEmpty();
        DagSpec fromFile = result.dags().get(0).spec();
        DagSpec fromJava = everyFieldInJava();
        assertThat(fromFile).usingRecursiveComparison().isEqualTo(fromJava);
        assertThat(fromFile).isEqualTo(fromJava);
        assertThat(Json.canonical(fromFile)).isEqualTo(Json.canonical(fromJava));
    }

    @Test
    void javaDslToSpecToJsonAndBackIsEqual() {
        DagSpec spec = everyFieldInJava();
        DagSpec back = Json.read(Json.write(spec), DagSpec.class);
        assertThat(back).usingRecursiveComparison().isEqualTo(spec);
        assertThat(back).isEqualTo(spec);
        assertThat(back.tasks()).allSatisfy(t -> assertThat(t).isEqualTo(spec.task(t.taskId()).orElseThrow()));
    }

    @Test
    void aCallbackIsACallableOrANotifierAndTheErrorSaysHowToWriteIt() {
        var result = parser.parse("""
                dag_id: bad_callbacks
                tasks:
                  - task_id: a
                    type: standard.empty
                    on_failure_callback: {callable: com.acme.A::b, type: http.webhook}
                  - task_id: b
                    type: standard.empty
                    on_retry_callback: {typo: x}
                """);
        assertThat(result.dags()).isEmpty();
        assertThat(result.problems()).extracting(DagFileParser.Problem::toString).containsExactly(
                "line 5, column 26: a callback is either a callable (Class::method) or a notifier type, not both,"
                        + " e.g. {callable: com.acme.Alerts::taskFailed} or {type: http.webhook, params: {url: ...}}",
                "line 8, column 25: unknown key 'typo' in a callback; did you mean 'type'?; known: [callable, params,"
                        + " type]",
                "line 8, column 24: a callback needs a callable (Class::method) or a notifier type, e.g."
                        + " {callable: com.acme.Alerts::taskFailed} or {type: http.webhook, params: {url: ...}}");
    }

    @Test
    void syntaxErrorsCarryLineAndColumn() {
        var result = parser.parse("""
                dag_id: broken
                tasks:
                  - task_id: a
                    type: standard.empty
                   params: [oops
                """);
        assertThat(result.dags()).isEmpty();
        assertThat(result.problems()).hasSize(1);
        assertThat(result.problems().get(0).position()).isNotNull();
        assertThat(result.problems().get(0).position().line()).isEqualTo(5);
        assertThat(result.problems().get(0).toString()).startsWith("line 5, column").contains("YAML syntax error");
    }

    @Test
    void mistypedValuesAndUnknownKeysNameTheFieldAndPosition() {
        var result = parser.parse("""
                dag_id: bad
                max_active_runs: many
                shedule: "@daily"
                tasks:
                  - task_id: a
                    type: standard.empty
                    retries: two
                  - task_id: b
                    type: standard.empty
                    upstream: [aa]
                """);
        assertThat(result.dags()).isEmpty();
        assertThat(result.problems()).extracting(Object::toString).containsExactlyInAnyOrder(
                "line 2, column 18: expected an integer, got the string 'many'",
                "line 3, column 1: unknown key 'shedule' in a DAG; did you mean 'schedule'?; known: "
                        + DagFileParser.DAG_KEYS.stream().sorted().toList(),
                "line 7, column 14: expected an integer, got the string 'two'",
                "line 10, column 16: task 'b' lists upstream 'aa', which is not a task of this DAG; did you mean 'a'?");
    }

    @Test
    void cyclesAreReportedAtTheTask() {
        var result = parser.parse("""
                dag_id: loop
                tasks:
                  - task_id: a
                    type: standard.empty
                    upstream: b
                  - task_id: b
                    type: standard.empty
                    upstream: a
                """);
        assertThat(result.problems()).hasSize(1);
        assertThat(result.problems().get(0).message()).contains("cycle:");
        assertThat(result.problems().get(0).position()).isNotNull();
    }

    @Test
    void severalDocumentsAreSeveralDagsAndOneBrokenDocumentDoesNotHideTheOthers() {
        var result = parser.parse("""
                dag_id: one
                tasks: [{task_id: a, type: standard.empty}]
                ---
                dag_id: two
                tasks: [{task_id: a}]
                ---
                dag_id: three
                tasks: [{task_id: a, type: standard.empty}]
                """);
        assertThat(result.dags()).extracting(d -> d.spec().dagId()).containsExactly("one", "three");
        assertThat(result.problems()).extracting(Object::toString).containsExactly("line 5, column 9: missing 'type'");
    }

    @Test
    void anUnsetVariableIsAnError() {
        var result = parser.parse("""
                dag_id: vars
                tasks:
                  - task_id: a
                    type: standard.file_sensor
                    params: {filepath: "${env:NOPE}/x", other: "${env:NOPE:-/tmp}/y"}
                """);
        assertThat(result.problems()).singleElement().asString().startsWith("line 5, column 24: task 'a': params: variable 'NOPE' is not set");
    }

    /** Found by DagFileMutationTest: a NUL in a scalar was reported without a line and column. */
    @Test
    void aCharacterYamlDoesNotAllowIsReportedWhereItIs() {
        var result = parser.parse("dag_id: a\u0000b\ntasks: []\n");
        assertThat(result.problems()).extracting(Object::toString)
                .containsExactly("line 1, column 10: YAML error: character U+0000 is not allowed in a YAML file");
        assertThat(parser.parse("dag_id: x\ntasks:\n  - {task_id: \uD800, type: standard.empty}\n").problems())
                .extracting(Object::toString).singleElement().asString().startsWith("line 3, column 15: ");
    }
}
