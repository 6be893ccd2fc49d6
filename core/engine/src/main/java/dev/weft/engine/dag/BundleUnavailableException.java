package dev.weft.engine.dag;

import dev.weft.engine.store.BundleRef;

/**
 * The code of a DAG bundle version cannot be had: not in the database, corrupt, or unreadable. Thrown where a task
 * asks for its DAG's class loader, so that try fails with "bundle NAME version V: why" and the worker goes on.
 */
public final class BundleUnavailableException extends RuntimeException {
    public BundleUnavailableException(BundleRef ref, String why, Throwable cause) {
        super(ref + ": " + why, cause);
    }
}
