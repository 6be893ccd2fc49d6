package dev.weft.cli;

import dev.weft.api.model.Pool;
import dev.weft.api.model.PoolCollection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.weft.cli.WeftClient.seg;

/** {@code weft pools list|get|set|delete}. */
final class PoolCommands {
    static final WeftCli.Noun NOUN = new WeftCli.Noun(Pools.class, List.of(List_.class, Get.class, Set_.class,
            Delete.class));

    private PoolCommands() {
    }

    @Command(name = "pools", description = "Pools.", mixinStandardHelpOptions = true)
    static final class Pools extends GroupCommand {
    }

    static final List<String> POOL_COLUMNS = List.of("pool", "slots", "description", "include_deferred");

    /** A pool of the API as a row of the pool commands (its name under "pool", as Airflow's CLI prints it). */
    static Map<String, Object> poolRow(Pool pool) {
        Map<String, Object> row = Json.toMap(pool);
        row.put("pool", pool.name());
        return row;
    }

    @Command(name = "list", description = "List the pools.", mixinStandardHelpOptions = true)
    static final class List_ extends ApiCommand {
        @Override
        void execute(WeftClient api) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Pool p : api.getAll("/pools", PoolCollection.class, PoolCollection::pools)) {
                rows.add(poolRow(p));
            }
            rows(POOL_COLUMNS, rows);
        }
    }

    @Command(name = "get", description = "Show one pool.", mixinStandardHelpOptions = true)
    static final class Get extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        void execute(WeftClient api) {
            rows(POOL_COLUMNS, List.of(poolRow(api.get("/pools/" + seg(name), Pool.class))));
        }
    }

    @Command(name = "set", description = "Create a pool, or change its slots (and description, when given).",
            mixinStandardHelpOptions = true)
    static final class Set_ extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "SLOTS", description = "The number of slots (-1: unlimited).")
        int slots;
        @Parameters(index = "2", paramLabel = "DESCRIPTION", arity = "0..1")
        String description;

        @Override
        void execute(WeftClient api) {
            Map<String, Object> body = WeftClient.map("name", name, "slots", slots);
            if (description != null) {
                body.put("description", description);
            }
            Object pool;
            try {
                pool = api.patch("/pools/" + seg(name) + "?update_mask=slots"
                        + (description != null ? "&update_mask=description" : ""), body);
            } catch (CliException e) {
                if (e.exitCode != CliException.NOT_FOUND) {
                    throw e;
                }
                pool = api.post("/pools", body);
            }
            rows(POOL_COLUMNS, List.of(poolRow(Json.as(Pool.class, pool))));
        }
    }

    @Command(name = "delete", description = "Delete a pool.", mixinStandardHelpOptions = true)
    static final class Delete extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        void execute(WeftClient api) {
            Map<String, Object> pool = poolRow(api.get("/pools/" + seg(name), Pool.class));
            api.delete("/pools/" + seg(name));
            rows(POOL_COLUMNS, List.of(pool));
        }
    }
}
