package dev.weft.store.engine;

import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.VariableStore;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.OperatorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Variables through the real store and worker: templates, the task context's accessor, and the try's masked log. */
class VariablesEngineTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private EngineHarness engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private RunRecord trigger(String dagId) {
        return engine.runs.trigger(new RunService.Trigger(dagId, null, null, null, Map.of(), null, null));
    }

    @Test
    void aParamItsTypeCallsSensitiveIsMaskedInTheTrysLogAsRendered() {
        engine = new EngineHarness(NOW);
        engine.variables.set("region", "eu-west-1", null); // not a sensitive variable: the param makes it secret
        DagBuilder b = Dag.builder("login");
        b.task("literal", OperatorRef.of("test.login", Map.of("message", "literal", "token", "tok-literal-42")));
        b.task("templated", OperatorRef.of("test.login",
                Map.of("message", "templated", "token", "{{ var.value.region }}/key")));
        engine.register(b.build());
        RunRecord run = trigger("login");
        engine.settle();

        assertThat(engine.log("login", run.runId(), "literal", 1)).contains("INFO literal with token ***")
                .noneMatch(l -> l.contains("tok-literal-42"));
        assertThat(engine.log("login", run.runId(), "templated", 1)).contains("INFO templated with token ***")
                .noneMatch(l -> l.contains("eu-west-1/key"));
    }

    @Test
    void aSensitiveParamWhoseTemplateFailsIsNotQuotedInTheError() {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("broken_login");
        b.task("broken", OperatorRef.of("test.login",
                Map.of("message", "broken", "token", "tok-broken-99 {{ var.value.nope }}")));
        engine.register(b.build());
        RunRecord run = trigger("broken_login");
        engine.settle();

        assertThat(engine.ti("broken_login", run.runId(), "broken").state()).isEqualTo(TaskState.FAILED);
        List<String> log = engine.log("broken_login", run.runId(), "broken", 1);
        assertThat(log).anyMatch(l -> l.contains("Task failed")).noneMatch(l -> l.contains("tok-broken-99"));
    }

    @Test
    void tasksReadVariablesAndTheirLogsMaskTheSensitiveOnes() {
        engine = new EngineHarness(NOW);
        engine.variables.set("region", "eu-west-1", null);
        engine.variables.set("api_token", "tok-abc-123", null);
        DagBuilder b = Dag.builder("vars");
        b.task("templated", OperatorRef.of("test.echo",
                Map.of("text", "{{ var.value.region }} with {{ var.value.api_token }}")));
        b.task("accessor", OperatorRef.of("test.read_variable", Map.of("key", "api_token")));
        b.task("plain_accessor", OperatorRef.of("test.read_variable", Map.of("key", "region")));
        b.task("missing", OperatorRef.of("test.echo", Map.of("text", "{{ var.value.nope }}")));
        engine.register(b.build());
        RunRecord run = trigger("vars");
        engine.settle();

        assertThat(engine.ti("vars", run.runId(), "templated").state()).isEqualTo(TaskState.SUCCESS);
        assertThat(engine.log("vars", run.runId(), "templated", 1)).contains("INFO echo eu-west-1 with ***");
        List<String> accessor = engine.log("vars", run.runId(), "accessor", 1);
        assertThat(accessor).contains("INFO read ***").anyMatch(l -> l.contains("failing with *** in the message"))
                .noneMatch(l -> l.contains("tok-abc-123"));
        assertThat(engine.log("vars", run.runId(), "plain_accessor", 1)).contains("INFO read eu-west-1");
        assertThat(engine.ti("vars", run.runId(), "missing").state()).isEqualTo(TaskState.FAILED);
        assertThat(engine.log("vars", run.runId(), "missing", 1))
                .anyMatch(l -> l.contains("Variable 'nope' does not exist"));
    }

    @Test
    void theStoreKeepsCiphertextPagesAndKeepsTheCreationTimeOnReplace() {
        engine = new EngineHarness(NOW);
        VariableStore store = engine.db.variables();
        engine.variables.set("b_key", "first", "one");
        engine.clock.advance(Duration.ofSeconds(1));
        engine.variables.set("a_key", "second", null);
        engine.clock.advance(Duration.ofSeconds(1));
        engine.variables.set("b_key", "replaced", "two");

        VariableStore.StoredVariable b = store.find("b_key").orElseThrow();
        assertThat(b.encryptedValue()).startsWith("v1:").doesNotContain("replaced");
        assertThat(b.createdAt()).isEqualTo(NOW);
        assertThat(b.updatedAt()).isEqualTo(NOW.plusSeconds(2));
        assertThat(engine.variables.find("b_key").orElseThrow().value()).isEqualTo("replaced");
        assertThat(store.list(false, false, 10, 0)).extracting(VariableStore.StoredVariable::key)
                .containsExactly("a_key", "b_key");
        assertThat(store.list(true, false, 10, 0)).extracting(VariableStore.StoredVariable::key)
                .containsExactly("b_key", "a_key");
        assertThat(store.list(false, true, 1, 1)).extracting(VariableStore.StoredVariable::key)
                .containsExactly("a_key");
        assertThat(store.count()).isEqualTo(2);
        assertThat(store.delete("a_key")).isTrue();
        assertThat(store.delete("a_key")).isFalse();
    }
}
