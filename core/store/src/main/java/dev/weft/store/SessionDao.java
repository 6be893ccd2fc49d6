package dev.weft.store;

import dev.weft.engine.store.SessionStore;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.Optional;
public interface SessionDao extends SessionStore {
    @Override
    @SqlUpdate("""
            INSERT INTO ui_session (token_hash, username, csrf_token, created_at, expires_at)
            VALUES (:tokenHash, :username, :csrf, :createdAt, :expiresAt)""")
    void create(@Bind("tokenHash") String tokenHash, @Bind("username") String username, @Bind("csrf") String csrf,
                @Bind("createdAt") Instant createdAt, @Bind("expiresAt") Instant expiresAt);

    @Override
    @SqlQuery("""
            SELECT s.username, u.role, s.csrf_token, s.expires_at
            FROM ui_session s JOIN weft_user u ON u.username = s.username
            WHERE s.token_hash = :tokenHash AND s.expires_at > :now AND u.active""")
    Optional<Session> find(@Bind("tokenHash") String tokenHash, @Bind("now") Instant now);

    @Override
    @SqlUpdate("DELETE FROM ui_session WHERE token_hash = :tokenHash")
    void delete(@Bind("tokenHash") String tokenHash);

    @Override
    @SqlUpdate("DELETE FROM ui_session WHERE expires_at <= :now")
    int deleteExpired(@Bind("now") Instant now);

    @Override
    @SqlUpdate("DELETE FROM ui_session WHERE username = :username")
    void deleteOf(@Bind("username") String username);
}
