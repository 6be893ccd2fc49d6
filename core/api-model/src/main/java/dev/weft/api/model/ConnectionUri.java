package dev.weft.api.model;


import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Airflow's connection URI, both ways: {@code conn-type://login:password@host:port/schema?key=value&...}, each part
 * percent-encoded; an extra that is not a flat object of strings travels whole as {@code ?__extra__=<JSON>}; a host
 * with a protocol gives two schemes ({@code http://https://example.com}). Follows Airflow's
 * {@code Connection._parse_from_uri} and {@code get_uri}, quirks included (host names are lower-cased when parsed,
 * {@code postgresql} becomes {@code postgres}, a {@code -} in the type becomes {@code _} and back). Shared by the
 * server (connections from {@code WEFT_CONN_<ID>}) and the CLI ({@code --conn-uri}, {@code connections get}),
 * each with its own JSON library (this module has none).
 */
public final class ConnectionUri {
    /** The JSON the extra needs: parse a text (an {@link IllegalArgumentException} when it is not JSON), write one. */
    public interface Json {
        Object parse(String text);

        String write(Object value);
    }
    /** The query key that carries a whole extra as JSON. */
    public static final String EXTRA_KEY = "__extra__";

    private final Json json;

    public ConnectionUri(Json json) {
        this.json = json;
    }

    /**
     * @throws IllegalArgumentException with what is wrong when {@code uri} is not a connection URI
     */
    public Connection parse(String connId, String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("A connection URI is empty: give one such as"
                    + " 'postgres://user:password@db.example.com:5432/sales'");
        }
        int schemes = count(uri, "://");
        int colon = uri.indexOf(':');
        if (schemes == 0 || schemes > 2 || colon <= 0 || !isScheme(uri.substring(0, colon))) {
            throw new IllegalArgumentException("Invalid connection URI '" + redacted(uri) + "': expected"
                    + " 'conn-type://login:password@host:port/schema?extra_key=value'");
        }
        String scheme = uri.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
        boolean hostWithProtocol = schemes == 2;
        String rest = uri.substring(colon + 3);
        String protocol = null;
        if (hostWithProtocol) {
            int split = rest.indexOf("://");
            protocol = rest.substring(0, split);
            if (protocol.contains("@") || protocol.contains(":") || !isScheme(protocol)) {
                throw new IllegalArgumentException("Invalid connection URI '" + redacted(uri) + "': the host's"
                        + " protocol '" + protocol + "' is not a scheme");
            }
            protocol = protocol.toLowerCase(java.util.Locale.ROOT);
            rest = rest.substring(split + 3);
        }
        int netlocEnd = indexOfAny(rest, "/?#");
        String netloc = rest.substring(0, netlocEnd);
        String tail = rest.substring(netlocEnd);
        int fragment = tail.indexOf('#');
        if (fragment >= 0) {
            tail = tail.substring(0, fragment);
        }
        int q = tail.indexOf('?');
        String path = q >= 0 ? tail.substring(0, q) : tail;
        String query = q >= 0 ? tail.substring(q + 1) : "";

        int at = netloc.lastIndexOf('@');
        String login = null;
        String password = null;
        if (at >= 0) {
            String userinfo = netloc.substring(0, at);
            int c = userinfo.indexOf(':');
            login = unquote(c >= 0 ? userinfo.substring(0, c) : userinfo, false);
            password = c >= 0 ? unquote(userinfo.substring(c + 1), false) : null;
        }
        String hostPort = netloc.substring(at + 1);
        String rawHost;
        String rawPort;
        if (hostPort.startsWith("[") && hostPort.contains("]")) {
            int close = hostPort.indexOf(']');
            rawHost = hostPort.substring(1, close);
            rawPort = hostPort.substring(close + 1).startsWith(":") ? hostPort.substring(close + 2) : "";
        } else {
            int c = hostPort.indexOf(':');
            rawHost = c >= 0 ? hostPort.substring(0, c) : hostPort;
            rawPort = c >= 0 ? hostPort.substring(c + 1) : "";
        }
        // Airflow takes urlsplit's host name (lower-cased) unless it holds a '/', then the name as written.
        String host = unquote(rawHost.toLowerCase(java.util.Locale.ROOT), false);
        if (host.contains("/")) {
            host = unquote(rawHost, false);
        }
        if (protocol != null) {
            host = protocol + "://" + host;
        }
        String schema = path.isEmpty() ? "" : unquote(path.substring(1), false);
        return new Connection(connId, normalizeType(scheme), null, host, login, schema, port(rawPort, uri), password,
                extra(query));
    }

    /** Airflow's {@code get_uri}. */
    public String format(Connection c) {
        StringBuilder uri = new StringBuilder();
        uri.append(c.connType() == null || c.connType().isEmpty() ? "//"
                : c.connType().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "://");
        String host = c.host();
        if (host != null && host.contains("://")) {
            int split = host.indexOf("://");
            uri.append(host, 0, split).append("://");
            host = host.substring(split + 3);
        }
        StringBuilder authority = new StringBuilder();
        if (c.login() != null) {
            authority.append(quote(c.login(), false));
        }
        if (c.password() != null) {
            authority.append(':').append(quote(c.password(), false));
        }
        if (!authority.isEmpty()) {
            uri.append(authority).append('@');
        }
        StringBuilder hostBlock = new StringBuilder();
        if (host != null && !host.isEmpty()) {
            hostBlock.append(quote(host, false));
        }
        if (c.port() != null && c.port() != 0) {
            hostBlock.append(hostBlock.isEmpty() && authority.isEmpty() ? "@:" : ":").append(c.port());
        }
        boolean hasSchema = c.schema() != null && !c.schema().isEmpty();
        if (hasSchema) {
            hostBlock.append('/').append(quote(c.schema(), false));
        }
        uri.append(hostBlock);
        if (c.extra() != null && !c.extra().isEmpty()) {
            uri.append(hasSchema ? "?" : "/?").append(extraQuery(c.extra()));
        }
        return uri.toString();
    }

    /** Flat string pairs as {@code a=1&b=2} when that reads back as the same extra, else {@code __extra__=<text>}. */
    private String extraQuery(String extra) {
        Object parsed;
        try {
            parsed = json.parse(extra);
        } catch (IllegalArgumentException notJson) {
            parsed = null;
        }
        if (parsed instanceof Map<?, ?> map && !map.isEmpty()
                && map.values().stream().allMatch(v -> v instanceof String)) {
            StringBuilder query = new StringBuilder();
            map.forEach((k, v) -> query.append(query.isEmpty() ? "" : "&").append(quote((String) k, true))
                    .append('=').append(quote((String) v, true)));
            return query.toString();
        }
        return EXTRA_KEY + "=" + quote(extra, true);
    }

    private String extra(String query) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            pairs.put(unquote(eq >= 0 ? pair.substring(0, eq) : pair, true),
                    eq >= 0 ? unquote(pair.substring(eq + 1), true) : "");
        }
        if (pairs.isEmpty()) {
            return null;
        }
        if (pairs.containsKey(EXTRA_KEY)) {
            return pairs.get(EXTRA_KEY);
        }
        return json.write(pairs);
    }

    private static Integer port(String text, String uri) {
        if (text.isEmpty()) {
            return null;
        }
        if (!text.chars().allMatch(ch -> ch >= '0' && ch <= '9') || text.length() > 5
                || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException("Invalid connection URI '" + redacted(uri) + "': the port '" + text
                    + "' is not a number from 0 to 65535");
        }
        return Integer.parseInt(text);
    }

    /** Airflow's {@code _normalize_conn_type}. */
    public static String normalizeType(String scheme) {
        return "postgresql".equals(scheme) ? "postgres" : scheme.replace('-', '_');
    }

    /** The URI without its password, for error messages. */
    private static String redacted(String uri) {
        return uri.replaceFirst("^([^:/]+://(?:[^:/]+://)?[^:@/]*):[^@/]*@", "$1:***@");
    }

    private static boolean isScheme(String s) {
        if (s.isEmpty() || !Character.isLetter(s.charAt(0)) || s.charAt(0) > 127) {
            return false;
        }
        return s.chars().allMatch(ch -> ch < 128 && (Character.isLetterOrDigit(ch) || ch == '+' || ch == '-'
                || ch == '.'));
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }

    /** Python's {@code quote(s, safe='')}, or {@code quote_plus} ({@code plus}: a space becomes {@code +}). */
    public static String quote(String s, boolean plus) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int ch = b & 0xff;
            if (ch < 128 && (Character.isLetterOrDigit(ch) || "_.-~".indexOf(ch) >= 0)) {
                out.append((char) ch);
            } else if (plus && ch == ' ') {
                out.append('+');
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(ch >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(ch & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** Python's {@code unquote} ({@code unquote_plus} with {@code plus}): a malformed {@code %} stays as it is. */
    static String unquote(String s, boolean plus) {
        if (s.indexOf('%') < 0 && !(plus && s.indexOf('+') >= 0)) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                bytes.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 2;
            } else if (plus && ch == '+') {
                bytes.write(' ');
            } else {
                byte[] utf8 = String.valueOf(ch).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(ch) && i + 1 < s.length()) {
                    utf8 = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(utf8);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char ch) {
        return Character.digit(ch, 16);
    }
}
