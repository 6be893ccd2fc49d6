package dev.weft.store;

import dev.weft.engine.store.UserStore;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
public interface UserDao extends UserStore {
    String COLUMNS = "username, password_hash, role, email, first_name, last_name, active, created_at, changed_at, "
            + "failed_logins, locked_until";

    @Override
    @SqlQuery("SELECT " + COLUMNS + " FROM weft_user WHERE username = :username")
    Optional<User> find(@Bind("username") String username);

    @Override
    @SqlQuery("SELECT " + COLUMNS + " FROM weft_user ORDER BY username")
    List<User> list();

    @Override
    @SqlUpdate("""
            INSERT INTO weft_user (username, password_hash, role, email, first_name, last_name, active)
            VALUES (:username, :passwordHash, :role, :email, :firstName, :lastName, :active)
            ON CONFLICT (username) DO NOTHING""")
    boolean create(@BindMethods User user);

    @Override
    @SqlUpdate("""
            UPDATE weft_user SET failed_logins = CASE WHEN :success THEN 0 ELSE failed_logins + 1 END,
                locked_until = :lockedUntil
            WHERE username = :username""")
    void recordLogin(@Bind("username") String username, @Bind("success") boolean success,
                     @Bind("lockedUntil") Instant lockedUntil);

    @Override
    @SqlUpdate("""
            UPDATE weft_user SET password_hash = :passwordHash, role = :role, email = :email,
                first_name = :firstName, last_name = :lastName, active = :active, changed_at = now()
            WHERE username = :username""")
    boolean update(@BindMethods User user);

    @Override
    @SqlUpdate("DELETE FROM weft_user WHERE username = :username")
    boolean delete(@Bind("username") String username);
}
