package dev.cairn.tracking;

import dev.cairn.common.ReadScope;
import dev.cairn.common.search.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Which of some experiment ids a caller may read (searches of runs, logged models and traces cut to those). */
final class ExperimentAccessRepository {

    private ExperimentAccessRepository() {
    }

    /** The readable ids among {@code ids}, in their order. */
    static List<Long> readable(Connection c, List<Long> ids, ReadScope scope) throws SQLException {
        Sql condition = scope.experiments("t.id");
        if (condition == null || ids.isEmpty()) {
            return ids;
        }
        Sql sql = new Sql().append("SELECT t.id FROM unnest(").bind(new Sql.LongArray(ids))
                .append(") WITH ORDINALITY AS t(id, n) WHERE ").append(condition).append(" ORDER BY t.n");
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }
}
