package dev.cairn.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@code (owner id, key, value)} table with primary key {@code (owner, key)}: tags and params of any feature.
 * Each feature declares its own tables as constants (table and column names are never input).
 */
public record KeyValueTable(String table, String ownerColumn) {


    /**
     * Upserts in one statement; the last value wins for a key repeated in one call. Keys are sorted
     * so concurrent writers to one owner take row locks in the same order and cannot deadlock.
     */
    public void upsert(Connection c, long ownerId, List<KeyValue> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        TreeMap<String, String> byKey = new TreeMap<>();
        entries.forEach(e -> byKey.put(e.key(), e.value() == null ? "" : e.value()));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + ownerColumn + ", key, value) "
                + "SELECT ?, k, v FROM unnest(?::text[], ?::text[]) AS u(k, v) "
                + "ON CONFLICT (" + ownerColumn + ", key) DO UPDATE SET value = EXCLUDED.value")) {
            ps.setLong(1, ownerId);
            ps.setArray(2, c.createArrayOf("text", byKey.keySet().toArray()));
            ps.setArray(3, c.createArrayOf("text", byKey.values().toArray()));
            ps.executeUpdate();
        }
    }

    /** Entries of many owners at once, each list ordered by key. */
    public Map<Long, List<KeyValue>> load(Connection c, Collection<Long> ownerIds) throws SQLException {
        Map<Long, List<KeyValue>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ownerColumn + ", key, value FROM " + table
                + " WHERE " + ownerColumn + " = ANY(?) ORDER BY " + ownerColumn + ", key")) {
            ps.setArray(1, c.createArrayOf("bigint", ownerIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new KeyValue(rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    /** Deletes one entry; false when the owner has no such key. */
    public boolean delete(Connection c, long ownerId, String key) throws SQLException {
        return Jdbc.update(c, "DELETE FROM " + table + " WHERE " + ownerColumn + " = ? AND key = ?", ownerId, key) > 0;
    }
}
