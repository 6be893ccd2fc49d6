package dev.weft.store;

import org.jdbi.v3.sqlobject.SqlObject;

/** Transaction-scoped advisory locks that serialise the steps several schedulers must not run at once. */
final class Locks {
    static final long START_RUNS = 0x5765667401L;
    static final long QUEUE = 0x5765667402L;

    /** High half of the per-DAG dataset queue locks; the low half is the DAG id's hash (a collision only serialises). */
    private static final long DATASET_QUEUE = 0x57656674L << 32;

    private Locks() {
    }

    static long datasetQueue(String dagId) {
        return DATASET_QUEUE | (dagId.hashCode() & 0xffffffffL);
    }

    static void lock(Object dao, long key) {
        ((SqlObject) dao).getHandle().createQuery("SELECT pg_advisory_xact_lock(:key)::text").bind("key", key)
                .mapTo(String.class).one();
    }
}
