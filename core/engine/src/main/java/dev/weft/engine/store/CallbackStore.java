package dev.weft.engine.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Callback requests waiting to run. A request is claimed with a lease: a claimant that dies leaves it to be claimed
 * again once the lease ran out, so each request runs at least once, and more than once only when a claimant died (or
 * overran its lease) before it was {@link #done}.
 */
public interface CallbackStore {
    /** Stores requests (joining the caller's transaction, if any). */
    void add(Collection<CallbackRequest> requests, Instant now);

    /**
     * Claims up to {@code limit} requests that nobody holds, or whose lease ran out by {@code now}, for
     * {@code owner} until {@code leaseUntil}; oldest first.
     */
    List<CallbackRequest> claim(String owner, int limit, Instant now, Instant leaseUntil);

    /** Removes a request that ran, if {@code owner} still holds it. */
    void done(long id, String owner);
}
