package dev.weft.cli;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** Option values the commands share (dates, --conf), checked before any request. */
final class OptionValues {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    private OptionValues() {
    }

    /** A date as the options take it (ISO date or date-time, with or without offset; no offset is UTC). */
    static OffsetDateTime date(String text, String option) {
        String t = text.trim().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(t);
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(t).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(t).atStartOfDay().atOffset(ZoneOffset.UTC);
                } catch (DateTimeParseException notDate) {
                    throw new CliException(CliException.USAGE, "invalid date for " + option + ": '" + text
                            + "' (expected e.g. 2026-11-24 or 2026-11-24T09:30:00+00:00)");
                }
            }
        }
    }

    static String iso(OffsetDateTime d) {
        return (d.getNano() == 0 ? SECONDS : MICROS).format(d);
    }

    static String isoOrNull(String text, String option) {
        return text == null ? null : iso(date(text, option));
    }

    /** The --conf text as a JSON object. */
    static Map<String, Object> conf(String text) {
        return jsonObject("--conf", text);
    }

    /** An option's value that must be a JSON object; null when the option is absent. */
    static Map<String, Object> jsonObject(String option, String text) {
        if (text == null) {
            return null;
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.ParseException e) {
            throw new CliException(CliException.USAGE, option + " is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?>)) {
            throw new CliException(CliException.USAGE, option + " must be a JSON object, e.g. '{\"key\": 1}'");
        }
        return Json.object(parsed);
    }
}
