package dev.weft.plugins.standard;

/** Recognises params that still hold an unrendered template (validation at DAG load sees those). */
final class TemplateMarkers {
    private TemplateMarkers() {
    }

    /** Whether a param value still holds an unrendered template. */
    static boolean isTemplate(String value) {
        return value != null && (value.contains("{{") || value.contains("{%"));
    }
}
