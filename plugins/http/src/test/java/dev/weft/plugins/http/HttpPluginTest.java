package dev.weft.plugins.http;

import dev.weft.spi.Plugin;
import dev.weft.spi.TaskTypeFactory;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpPluginTest {
    @Test
    void isFoundThroughServiceLoaderWithBothTypes() {
        List<Plugin> plugins = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get).toList();
        assertThat(plugins).singleElement().isInstanceOf(HttpPlugin.class);
        Plugin http = plugins.get(0);
        assertThat(http.name()).isEqualTo("http");
        assertThat(http.operators()).extracting(TaskTypeFactory::typeId).containsExactly("http.operator");
        assertThat(http.sensors()).extracting(TaskTypeFactory::typeId).containsExactly("http.sensor");
        assertThat(http.notifiers()).extracting(TaskTypeFactory::typeId).containsExactly("http.webhook");
    }

    @Test
    void jsonIsWrittenCompactlyWithEscapes() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("s", "quote \" backslash \\ newline \n tab \t bell \u0007 é");
        value.put("n", 42L);
        value.put("d", 1.5);
        value.put("whole", 2.0);
        value.put("b", true);
        value.put("nil", null);
        value.put("list", Arrays.asList(1L, "x", null, Map.of()));
        assertThat(JsonText.write(value)).isEqualTo("{\"s\":\"quote \\\" backslash \\\\ newline \\n tab \\t bell \\u0007 é\","
                + "\"n\":42,\"d\":1.5,\"whole\":2,\"b\":true,\"nil\":null,\"list\":[1,\"x\",null,{}]}");
        assertThatThrownBy(() -> JsonText.write(Double.NaN)).hasMessage("JSON has no NaN");
    }

    @Test
    void statusCodesParseCodesClassesRangesAndLists() {
        StatusCodes codes = StatusCodes.parse(List.of(200, "3xx", "404-405"), "expected_status", null);
        assertThat(codes.contains(200)).isTrue();
        assertThat(codes.contains(201)).isFalse();
        assertThat(codes.contains(302)).isTrue();
        assertThat(codes.contains(405)).isTrue();
        assertThat(codes.contains(406)).isFalse();
        assertThat(codes).hasToString("200, 3xx, 404-405");
        assertThat(StatusCodes.parse(null, "x", StatusCodes.SUCCESS)).isSameAs(StatusCodes.SUCCESS);
        assertThatThrownBy(() -> StatusCodes.parse("299-200", "x", null)).hasMessageStartingWith("x: expected");
        assertThatThrownBy(() -> StatusCodes.parse(200.5, "x", null)).hasMessageStartingWith("x: expected");
    }
}
