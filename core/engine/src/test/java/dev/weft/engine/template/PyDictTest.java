package dev.weft.engine.template;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PyDictTest {
    @Test
    void printsLikePython() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a'b");
        m.put("q", "say \"hi\" it's");
        m.put("esc", "tab\there\nback\\slash");
        m.put("b", false);
        m.put("n", null);
        m.put("i", 3L);
        m.put("l", new ArrayList<>(Arrays.asList(1, null, List.of())));
        m.put("m", Map.of());
        assertThat(PyDict.copyOf(m)).hasToString("{'s': \"a'b\", 'q': 'say \"hi\" it\\'s', 'esc': 'tab\\there\\nback\\\\slash', "
                + "'b': False, 'n': None, 'i': 3, 'l': [1, None, []], 'm': {}}");
    }

    @Test
    void floatsPrintLikePython() {
        assertThat(PyRepr.floatRepr(1.0)).isEqualTo("1.0");
        assertThat(PyRepr.floatRepr(0.5)).isEqualTo("0.5");
        assertThat(PyRepr.floatRepr(-2.25)).isEqualTo("-2.25");
        assertThat(PyRepr.floatRepr(1e7)).isEqualTo("10000000.0");
        assertThat(PyRepr.floatRepr(1e16)).isEqualTo("1e+16");
        assertThat(PyRepr.floatRepr(1.5e-5)).isEqualTo("1.5e-05");
        assertThat(PyRepr.floatRepr(0.0001)).isEqualTo("0.0001");
        assertThat(PyRepr.floatRepr(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(PyRepr.floatRepr(-0.0)).isEqualTo("-0.0");
        assertThat(PyRepr.repr(new BigDecimal("12.50"))).isEqualTo("12.50");
    }

    @Test
    void isADeepImmutableCopy() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("k", "v");
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("inner", inner);
        PyDict dict = PyDict.copyOf(outer);
        inner.put("k", "changed");
        assertThat(dict.get("inner")).isInstanceOf(PyDict.class).isEqualTo(Map.of("k", "v"));
        assertThat(dict).isEqualTo(Map.of("inner", Map.of("k", "v")));
        assertThatThrownBy(() -> dict.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(PyDict.copyOf(null)).isEmpty();
        assertThat(PyDict.copyOf(dict)).isSameAs(dict);
    }
}
