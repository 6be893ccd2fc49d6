package dev.weft.plugins.standard;

import dev.weft.plugins.standard.fixtures.Checks;
import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.OperatorResult;
import dev.weft.testkit.OperatorHarness;
import dev.weft.testkit.TestTaskContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallableOperatorTest {
    private static final String CHECKS = Checks.class.getName();
    private final CallableOperatorFactory factory = new CallableOperatorFactory();
    private final TestTaskContext ctx = TestTaskContext.builder().dagId("listing_6_04_dag01").taskId("greet").build();

    private OperatorResult run(Map<String, ?> params) throws Exception {
        return OperatorHarness.execute(factory, params, ctx);
    }

    @Test
    void bindsKwargsByNameGivesTheContextAndReturnsTheOutput() throws Exception {
        OperatorResult result = run(Map.of("callable", CHECKS + "::greet", "op_kwargs", Map.of("name", "weft", "times", 2)));
        assertThat(result).isEqualTo(OperatorResult.success("hi weft hi weft"));
        assertThat(ctx.logLines()).contains("INFO greeting weft in listing_6_04_dag01",
                "INFO Done. Returned value was: hi weft hi weft");
    }

    @Test
    void convertsJsonValuesToTheParameterTypes() throws Exception {
        Map<String, Object> kwargs = new java.util.HashMap<>();
        kwargs.put("count", "42");
        kwargs.put("ratio", 1);
        kwargs.put("flag", "true");
        kwargs.put("names", List.of("a", "b"));
        kwargs.put("extra", Map.of("k", "v"));
        kwargs.put("maybe", null);
        OperatorResult result = run(Map.of("callable", CHECKS + "::describe", "op_kwargs", kwargs));
        assertThat(((OperatorResult.Success) result).output()).isEqualTo(Map.of("count", 42L, "ratio", 1.0,
                "flag", true, "names", List.of("a", "b"), "extra", Map.of("k", "v"), "maybe", "null"));
    }

    @Test
    void aValueThatCannotBeConvertedNamesTheKwargAndTheParameter() {
        assertThatThrownBy(() -> run(Map.of("callable", CHECKS + "::greet",
                "op_kwargs", Map.of("name", "x", "times", "many"))))
                .isInstanceOf(InvalidParamsException.class)
                .hasMessageContaining("op_kwargs.times")
                .hasMessageContaining("parameter 'times' (int)");
    }

    @Test
    void opArgsFillTheFirstParametersThenKwargsTheRest() throws Exception {
        assertThat(run(Map.of("callable", CHECKS + "::positional", "op_args", List.of("a", "b"),
                "op_kwargs", Map.of("third", "c")))).isEqualTo(OperatorResult.success("abc"));
        assertThatThrownBy(() -> run(Map.of("callable", CHECKS + "::positional", "op_args", List.of("a", "b", "c", "d"))))
                .isInstanceOf(InvalidParamsException.class)
                .hasMessageStartingWith("op_args: has 4 value(s) but")
                .hasMessageContaining("takes 3");
        assertThatThrownBy(() -> run(Map.of("callable", CHECKS + "::positional", "op_args", List.of("a", "b", "c"),
                "op_kwargs", Map.of("first", "again"))))
                .hasMessageContaining("parameter 'first' gets two values");
    }

    @Test
    void aSnakeCaseKwargFillsACamelCaseParameter() throws Exception {
        assertThat(run(Map.of("callable", CHECKS + "::camel", "op_kwargs", Map.of("supermarket_id", "s1"))))
                .isEqualTo(OperatorResult.success("s1"));
    }

    @Test
    void aNonJsonReturnValueBecomesItsText() throws Exception {
        assertThat(run(Map.of("callable", CHECKS + "::notJson"))).isEqualTo(OperatorResult.success("2026-01-01T00:00:00Z"));
        assertThat(run(Map.of("callable", CHECKS + "::nothing"))).isEqualTo(OperatorResult.success(null));
    }

    @Test
    void aReturnedOperatorResultIsUsedAsItIs() throws Exception {
        assertThat(run(Map.of("callable", CHECKS + "::skipMe"))).isEqualTo(OperatorResult.skipped("nothing to do today"));
    }

    @Test
    void theCallablesOwnExceptionComesOutUnwrapped() {
        assertThatThrownBy(() -> run(Map.of("callable", CHECKS + "::boom")))
                .isInstanceOf(IOException.class).hasMessage("disk on fire");
    }

    @Test
    void theUsersKwargTypoIsReportedWhenTheDagLoadsNamingBothNames() {
        assertThatThrownBy(() -> OperatorHarness.of(factory, Map.of(
                "callable", "dev.weft.plugins.standard.fixtures.Supermarkets::waitForSupermarket",
                "op_kwargs", Map.of("data_root", "/data", "supermarket_id", "supermarket1")), ctx))
                .isInstanceOf(InvalidParamsException.class)
                .satisfies(e -> assertThat(((InvalidParamsException) e).field()).isEqualTo("op_kwargs.supermarket_id"))
                .hasMessageContaining("op_kwargs key 'supermarket_id' matches no parameter of "
                        + "dev.weft.plugins.standard.fixtures.Supermarkets::waitForSupermarket(String data_root, String supermarket_id_)"
                        + ", and parameter 'supermarket_id_' gets no value: did you mean 'supermarket_id_' instead of 'supermarket_id'?");
    }

    @Test
    void badReferencesAreReportedWhenTheDagLoads() {
        assertThatThrownBy(() -> OperatorHarness.of(factory, Map.of("callable", "greet"), ctx))
                .isInstanceOf(InvalidParamsException.class).hasMessageStartingWith("callable: 'greet' is not a Class::method reference");
        assertThatThrownBy(() -> OperatorHarness.of(factory, Map.of("callable", "com.acme.Nope::x"), ctx))
                .hasMessageContaining("class 'com.acme.Nope' not found");
        assertThatThrownBy(() -> OperatorHarness.of(factory, Map.of("callable", CHECKS + "::gret"), ctx))
                .hasMessageContaining("has no public static method 'gret'; did you mean 'greet'?");
        assertThatThrownBy(() -> OperatorHarness.of(factory, Map.of("callable", CHECKS + "::overloaded"), ctx))
                .hasMessageContaining("is overloaded")
                .hasMessageContaining("overloaded(String a)").hasMessageContaining("overloaded(int a)");
        assertThatThrownBy(() -> OperatorHarness.of(factory, Map.of("callable", CHECKS + "::notStatic"), ctx))
                .hasMessageContaining("is not static");
        assertThatThrownBy(() -> OperatorHarness.of(factory, Map.of("callable", CHECKS + "::notPublic"), ctx))
                .hasMessageContaining("is not public");
        assertThatThrownBy(() -> OperatorHarness.of(factory, Map.of("callable", CHECKS + "::greet",
                "op_kwargs", Map.of("name", "x")), ctx))
                .hasMessageContaining("parameter 'times' of").hasMessageContaining("gets no value");
        assertThatThrownBy(() -> OperatorHarness.of(factory, Map.of("callable", CHECKS + "::sensorOnly"), ctx))
                .hasMessageContaining("is a SensorContext, but this task gets a TaskContext");
        assertThatThrownBy(() -> OperatorHarness.of(factory, Map.of(), ctx))
                .hasMessageStartingWith("callable: is required");
    }

    @Test
    void aNestedClassMayBeWrittenWithADot() throws Exception {
        assertThat(run(Map.of("callable", CallableOperatorTest.class.getName() + ".Nested::hello")))
                .isEqualTo(OperatorResult.success("hello"));
    }

    public static final class Nested {
        public static String hello() {
            return "hello";
        }
    }

    @Test
    void aClassCompiledWithoutParametersIsReportedWithTheFix(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/com/acme/NoNames.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package com.acme; public class NoNames {"
                + " public static String greet(String who) { return \"hi \" + who; } }");
        Path out = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, "-d", out.toString(), src.toString())).isZero();

        try (URLClassLoader bundle = new URLClassLoader(new URL[]{out.toUri().toURL()}, getClass().getClassLoader())) {
            TestTaskContext fromBundle = TestTaskContext.builder().dagClassLoader(bundle).build();
            assertThatThrownBy(() -> OperatorHarness.of(factory, Map.of("callable", "com.acme.NoNames::greet",
                    "op_kwargs", Map.of("who", "you")), fromBundle))
                    .isInstanceOf(InvalidParamsException.class)
                    .hasMessageContaining("compile com.acme.NoNames with -parameters");
            // Positional values need no names.
            assertThat(OperatorHarness.execute(factory, Map.of("callable", "com.acme.NoNames::greet",
                    "op_args", List.of("you")), fromBundle)).isEqualTo(OperatorResult.success("hi you"));
        }
    }
}
