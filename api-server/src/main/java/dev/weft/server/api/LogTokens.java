package dev.weft.server.api;

import dev.weft.engine.secrets.SecretKeys;
import dev.weft.server.errors.ApiException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Continuation tokens of the log endpoint: where the last chunk ended, signed with the server's key so a client can
 * only pass back what the server gave it (Airflow signs its {@code log_pos} token the same way).
 */
public final class LogTokens {
    private static final Pattern PAYLOAD = Pattern.compile("\\{\"log_pos\":(\\d+),\"end_of_log\":(true|false)}");
    private final byte[] key;

    public LogTokens(byte[] key) {
        this.key = key.clone();
    }

    /** A position in a try's log: the id of the last line read, and whether the try can write no more. */
    public record Position(long logPos, boolean endOfLog) {
    }

    public String write(Position position) {
        String payload = "{\"log_pos\":" + position.logPos() + ",\"end_of_log\":" + position.endOfLog() + "}";
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(sign(payload));
    }

    public Position read(String token) {
        try {
            int dot = token.indexOf('.');
            String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
            Matcher m = PAYLOAD.matcher(payload);
            if (MessageDigest.isEqual(signature, sign(payload)) && m.matches()) {
                return new Position(Long.parseLong(m.group(1)), Boolean.parseBoolean(m.group(2)));
            }
        } catch (RuntimeException e) {
            // fall through: any malformed token is a bad signature
        }
        throw ApiException.badRequest("Bad Signature. Please use only the tokens provided by the API.");
    }

    private byte[] sign(String payload) {
        return SecretKeys.hmacSha256(key, payload);
    }
}
