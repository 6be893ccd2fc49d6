package dev.weft.web;

import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.engine.store.QueryStore;
import dev.weft.engine.store.QueryStore.BrowseFilter;
import dev.weft.spi.RunState;
import dev.weft.spi.RunType;
import dev.weft.spi.TaskState;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Runs and task instances across all DAGs, newest first, filtered by state, run type, DAG and a date range: the
 * operator's "what failed tonight?".
 */
@Path("/browse")
@Produces(MediaType.TEXT_HTML)
public class BrowseResource {
    static final int PAGE_SIZE = 50;

    private final QueryStore queries;
    private final Clock clock;

    public BrowseResource(QueryStore queries, Clock clock) {
        this.queries = queries;
        this.clock = clock;
    }

    /** The filters both pages take, as they were asked for (blank as null, an unknown date field as the default). */
    public record Query(String state, String runType, String dagId, String dateField, String from, String to,
                        String last, int page) {
    }

    /** The query parameters both pages take. */
    public static final class Params {
        @QueryParam("state") String state;
        @QueryParam("run_type") String runType;
        @QueryParam("dag_id") String dagId;
        @QueryParam("date_field") String dateField;
        @QueryParam("from") String from;
        @QueryParam("to") String to;
        @QueryParam("last") String last;
        @QueryParam("page") Integer page;

        Query query() {
            return new Query(blankToNull(state), blankToNull(runType), blankToNull(dagId),
                    dateField != null && QueryStore.BROWSE_DATES.contains(dateField) ? dateField : "logical_date",
                    blankToNull(from), blankToNull(to), blankToNull(last), page == null || page < 1 ? 1 : page);
        }
    }

    @GET
    @Path("runs")
    @Allowed(Role.VIEWER)
    public BrowsePage runs(@BeanParam Params params, @Context SecurityContext security,
                           @Context ContainerRequestContext request) {
        return page(params, PageUser.of(security, request), true, queries::browseRuns,
                r -> new BrowsePage.RunRow(r.dagId(), r.runId(), r.runType().wireName(),
                        StateStyle.of(r.state().wireName()), Dates.format(r.logicalDate()), Dates.format(r.startDate()),
                        Dates.format(r.endDate()), Dates.duration(r.startDate(), r.endDate())),
                Arrays.stream(RunState.values()).map(RunState::wireName).toList());
    }

    @GET
    @Path("task-instances")
    @Allowed(Role.VIEWER)
    public BrowsePage taskInstances(@BeanParam Params params, @Context SecurityContext security,
                                    @Context ContainerRequestContext request) {
        return page(params, PageUser.of(security, request), false, queries::browseTaskInstances,
                t -> new BrowsePage.TaskRow(t.dagId(), t.runId(), t.taskId(), t.operator(),
                        StateStyle.of(t.state().wireName()), t.tryNumber(), Dates.format(t.logicalDate()),
                        Dates.format(t.startDate()), Dates.format(t.endDate()), Dates.duration(t.startDate(), t.endDate())),
                Arrays.stream(TaskState.values()).map(TaskState::wireName).toList());
    }

    /** Something {@link QueryStore} browses: a filter, a limit and an offset give a page. */
    private interface Browse<T> {
        QueryStore.Page<T> find(BrowseFilter filter, int limit, int offset);
    }

    private <T> BrowsePage page(Params params, PageUser user, boolean runs, Browse<T> browse,
                                Function<T, Object> row, List<String> states) {
        Query q = params.query();
        List<String> errors = new ArrayList<>();
        QueryStore.Page<T> found = browse.find(filter(q, errors), PAGE_SIZE, (q.page() - 1) * PAGE_SIZE);
        List<Object> rows = found.items().stream().map(row).toList();
        return new BrowsePage(user, runs, q, errors, found.total(), (long) q.page() * PAGE_SIZE < found.total(),
                rows, states);
    }

    private BrowseFilter filter(Query q, List<String> errors) {
        Instant gte = instant("From", q.from(), false, errors);
        Instant lte = instant("To", q.to(), true, errors);
        if (q.last() != null) {
            // "24h", "7d": a window ending now, the quick links' form.
            try {
                String n = q.last().substring(0, q.last().length() - 1);
                Duration window = q.last().endsWith("d") ? Duration.ofDays(Long.parseLong(n))
                        : Duration.ofHours(Long.parseLong(n));
                gte = clock.instant().minus(window);
                lte = null;
            } catch (RuntimeException e) {
                errors.add("Last: '" + q.last() + "' is not a window like 24h or 7d.");
            }
        }
        return new BrowseFilter(q.dagId() == null ? null : List.of(q.dagId()),
                q.state() == null ? null : List.of(q.state()), q.runType() == null ? null : List.of(q.runType()),
                q.dateField(), new QueryStore.Range(gte, lte));
    }

    /** A date or date and time in UTC, as the form's inputs send it; a date alone as a bound covers its whole day. */
    private static Instant instant(String label, String value, boolean endOfDay, List<String> errors) {
        if (value == null) {
            return null;
        }
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant()
                        .minus(endOfDay ? 1 : 0, ChronoUnit.MILLIS);
            }
            return LocalDateTime.parse(value.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            errors.add(label + ": '" + value + "' is not a date (2026-12-06) or date and time (2026-12-06T16:00).");
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    static List<String> runTypes() {
        return Arrays.stream(RunType.values()).map(RunType::wireName).toList();
    }
}
