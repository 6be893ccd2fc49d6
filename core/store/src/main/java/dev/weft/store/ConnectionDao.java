package dev.weft.store;

import dev.weft.engine.store.ConnectionStore;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
public interface ConnectionDao extends ConnectionStore {
    String COLUMNS = "conn_id, conn_type, description, host, schema, login, encrypted_password, port, encrypted_extra";

    @Override
    default List<StoredConnection> list(Order order, boolean descending, int limit, int offset) {
        String direction = descending ? " DESC" : " ASC";
        String column = switch (order) {
            case CONNECTION_ID -> "conn_id";
            case CONN_TYPE -> "conn_type";
            case DESCRIPTION -> "description";
            case HOST -> "host";
            case PORT -> "port";
            case ID -> "id";
        };
        return page(column + direction + ", conn_id" + direction, limit, offset);
    }

    // <order> is built above from fixed column names, never from user text.
    @SqlQuery("SELECT " + COLUMNS + " FROM connection ORDER BY <order> LIMIT :limit OFFSET :offset")
    List<StoredConnection> page(@Define("order") String order, @Bind("limit") int limit, @Bind("offset") int offset);

    @Override
    @SqlQuery("SELECT count(*) FROM connection")
    long count();

    @Override
    @SqlQuery("SELECT " + COLUMNS + " FROM connection WHERE conn_id = :connId")
    Optional<StoredConnection> find(@Bind("connId") String connId);

    @Override
    @SqlUpdate("""
            INSERT INTO connection (conn_id, conn_type, description, host, schema, login, encrypted_password, port,
                encrypted_extra, created_at, updated_at)
            VALUES (:c.connId, :c.connType, :c.description, :c.host, :c.schema, :c.login, :c.encryptedPassword,
                :c.port, :c.encryptedExtra, :now, :now)
            ON CONFLICT (conn_id) DO NOTHING""")
    boolean insert(@BindMethods("c") StoredConnection connection, @Bind("now") Instant now);

    @Override
    @SqlUpdate("""
            UPDATE connection SET conn_type = :c.connType, description = :c.description, host = :c.host,
                schema = :c.schema, login = :c.login, encrypted_password = :c.encryptedPassword, port = :c.port,
                encrypted_extra = :c.encryptedExtra, updated_at = :now
            WHERE conn_id = :c.connId""")
    boolean update(@BindMethods("c") StoredConnection connection, @Bind("now") Instant now);

    @Override
    @SqlUpdate("DELETE FROM connection WHERE conn_id = :connId")
    boolean delete(@Bind("connId") String connId);
}
