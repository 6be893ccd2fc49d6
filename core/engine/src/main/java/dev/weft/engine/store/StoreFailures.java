package dev.weft.engine.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** Tells a store failure that may pass (retry the same write later) from a refusal that will not. */
public final class StoreFailures {
    private StoreFailures() {
    }

    /**
     * Whether the failure may pass: the connection was lost or refused (SQLSTATE class 08), the transaction was rolled
     * back (40: deadlock, serialization), the server lacks resources (53) or is shutting down (57), or the driver
     * says so. Any other failure, with an SQL error or none (a bug binding one value), is taken as a refusal of what
     * was written.
     */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                        || state.startsWith("57");
            }
        }
        return false;
    }

    /** The database's own message for a failure (the innermost SQL error's), for a try's log. */
    public static String message(Throwable failure) {
        String message = failure.toString();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException) {
                message = t.getMessage();
            }
        }
        return message == null ? failure.getClass().getName() : message.replace('\0', '\uFFFD');
    }
}
