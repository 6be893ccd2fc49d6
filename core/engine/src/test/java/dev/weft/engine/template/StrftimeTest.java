package dev.weft.engine.template;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrftimeTest {
    // Tuesday 1988-08-16 21:30:05.000123, day 229 of the year
    private static final LocalDateTime T = LocalDateTime.of(1988, 8, 16, 21, 30, 5, 123_000);

    @Test
    void formatsThePythonDirectives() {
        assertThat(Strftime.format(T, "%Y-%m-%d %H:%M:%S.%f")).isEqualTo("1988-08-16 21:30:05.000123");
        assertThat(Strftime.format(T, "%a %A %b %B %h")).isEqualTo("Tue Tuesday Aug August Aug");
        assertThat(Strftime.format(T, "%y %j %w %u %I %p %P")).isEqualTo("88 229 2 2 09 PM pm");
        assertThat(Strftime.format(T, "%c|%x|%X")).isEqualTo("Tue Aug 16 21:30:05 1988|08/16/88|21:30:05");
        assertThat(Strftime.format(T, "%D %F %T %R %r")).isEqualTo("08/16/88 1988-08-16 21:30:05 21:30 09:30:05 PM");
        assertThat(Strftime.format(T, "%e|%k|%l|%C|%%|%n|%t")).isEqualTo("16|21| 9|19|%|\n|\t");
        assertThat(Strftime.format(T, "100%% done")).isEqualTo("100% done");
    }

    @Test
    void weekNumbers() {
        // 2026-01-01 is a Thursday
        LocalDate newYear = LocalDate.of(2026, 1, 1);
        assertThat(Strftime.format(newYear, "%U %W %G-W%V-%u")).isEqualTo("00 00 2026-W01-4");
        LocalDate sunday = LocalDate.of(2026, 1, 4);
        assertThat(Strftime.format(sunday, "%U %W %V")).isEqualTo("01 00 01");
        LocalDate monday = LocalDate.of(2026, 1, 5);
        assertThat(Strftime.format(monday, "%U %W %V")).isEqualTo("01 01 02");
        assertThat(Strftime.format(LocalDate.of(2027, 1, 1), "%G %V")).isEqualTo("2026 53");
    }

    @Test
    void glibcDashFlagDropsThePadding() {
        LocalDateTime t = LocalDateTime.of(2026, 3, 5, 7, 8, 9);
        assertThat(Strftime.format(t, "%-d/%-m/%Y %-H:%-M:%-S %-j %-I")).isEqualTo("5/3/2026 7:8:9 64 7");
        assertThat(Strftime.format(t, "%e|%-e")).isEqualTo(" 5|5");
    }

    @Test
    void offsetsAndZoneNames() {
        assertThat(Strftime.format(T, "[%z][%Z]")).isEqualTo("[][]");
        assertThat(Strftime.format(T.atOffset(ZoneOffset.UTC), "%z %Z")).isEqualTo("+0000 UTC");
        assertThat(Strftime.format(T.atOffset(ZoneOffset.ofHoursMinutes(5, 30)), "%z %Z")).isEqualTo("+0530 UTC+05:30");
        assertThat(Strftime.format(ZonedDateTime.of(T, ZoneId.of("Europe/Amsterdam")), "%z %Z")).isEqualTo("+0200 CEST");
        assertThat(Strftime.format(ZonedDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneId.of("America/New_York")), "%z"))
                .isEqualTo("-0500");
    }

    @Test
    void rejectsUnknownDirectivesClearly() {
        assertThatThrownBy(() -> Strftime.format(T, "%Y-%Q"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported strftime directive '%Q' in format '%Y-%Q'")
                .hasMessageContaining("supported: %a %A");
        assertThatThrownBy(() -> Strftime.format(T, "%Y %"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lone '%'");
        assertThatThrownBy(() -> Strftime.format(T, "%-B"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only to numeric directives");
    }

    @Test
    void parsesLikePythonStrptime() {
        assertThat(Strftime.parse("2015-01-05", "%Y-%m-%d")).isEqualTo(LocalDateTime.of(2015, 1, 5, 0, 0));
        assertThat(Strftime.parse("1/5/2015", "%m/%d/%Y")).isEqualTo(LocalDateTime.of(2015, 1, 5, 0, 0));
        assertThat(Strftime.parse("20150105T134501", "%Y%m%dT%H%M%S")).isEqualTo(LocalDateTime.of(2015, 1, 5, 13, 45, 1));
        assertThat(Strftime.parse("05 jan  2015 01:02:03.5 pm", "%d %b %Y %I:%M:%S.%f %p"))
                .isEqualTo(LocalDateTime.of(2015, 1, 5, 13, 2, 3, 500_000_000));
        assertThat(Strftime.parse("12 AM", "%I %p")).isEqualTo(LocalDateTime.of(1900, 1, 1, 0, 0));
        assertThat(Strftime.parse("Monday, March 2 26", "%A, %B %d %y")).isEqualTo(LocalDateTime.of(2026, 3, 2, 0, 0));
        assertThat(Strftime.parse("99", "%y")).isEqualTo(LocalDateTime.of(1999, 1, 1, 0, 0));
        assertThat(Strftime.parse("2026 064", "%Y %j")).isEqualTo(LocalDateTime.of(2026, 3, 5, 0, 0));
        assertThat(Strftime.parse("02-29", "%m-%d")).isEqualTo(LocalDateTime.of(1904, 2, 29, 0, 0));
        assertThat(Strftime.parse("2026-01-02T03:04:05+05:30", "%Y-%m-%dT%H:%M:%S%z"))
                .isEqualTo(OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHoursMinutes(5, 30)));
        assertThat(Strftime.parse("2026-01-02 Z", "%Y-%m-%d %z"))
                .isEqualTo(OffsetDateTime.of(2026, 1, 2, 0, 0, 0, 0, ZoneOffset.UTC));
    }

    @Test
    void parseErrorsSayWhatWentWrong() {
        assertThatThrownBy(() -> Strftime.parse("2015/01/05", "%Y-%m-%d"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("time data '2015/01/05' does not match format '%Y-%m-%d'");
        assertThatThrownBy(() -> Strftime.parse("2015-01-05 extra", "%Y-%m-%d"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unconverted data remains:  extra");
        assertThatThrownBy(() -> Strftime.parse("2015-02-30", "%Y-%m-%d"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a valid date");
        assertThatThrownBy(() -> Strftime.parse("2015", "%G"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported strptime directive '%G'");
    }
}
