package dev.weft.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Values put into a URL's path or query by a page (a run id holds {@code +} and {@code :}). */
public final class Urls {
    private Urls() {
    }

    public static String encode(String value) {
        return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
