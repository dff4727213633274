package dev.cairn.tracking.metrics;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.postgresql.copy.CopyIn;
import org.postgresql.jdbc.PgConnection;

/**
 * A request's points cut into blocks of a given size per owner (a run's series, or a logged model's
 * attribution), in arrival order, and written with one binary {@code COPY} into a block table: rows of
 * (owner, n, extent, ts[], step[], value[]), as {@code metric_hot_blocks} (extent: min_ts) and
 * {@code logged_model_point_blocks} (max_ts) are.
 */
final class PointBlocks {

    private record Block(long owner, PointBuffer points) {
    }

    private final int limit;
    private final Map<Object, PointBuffer> open = new HashMap<>();
    private final List<Block> blocks = new ArrayList<>();
    private int points;

    /** Blocks of at most {@code limit} points. */
    PointBlocks(int limit) {
        this.limit = limit;
    }

    /** Adds a point to the open block of {@code group} (whose rows belong to {@code owner}), full ones left behind. */
    void add(Object group, long owner, long ts, long step, double value) {
        PointBuffer b = open.get(group);
        if (b == null || b.size == limit) {
            b = new PointBuffer(Math.min(limit, 64));
            open.put(group, b);
            blocks.add(new Block(owner, b));
        }
        b.add(ts, step, value);
        points++;
    }

    /** The timestamp a block row carries besides its points: its smallest or its greatest. */
    enum Extent {
        MIN_TS, MAX_TS
    }

    /**
     * Writes the blocks into {@code table}, whose owner column is {@code ownerColumn} and whose third column is the
     * {@code extent}; nothing when there are none.
     */
    void copyInto(Connection c, String table, String ownerColumn, Extent extent) throws SQLException {
        if (blocks.isEmpty()) {
            return;
        }
        // Binary COPY: no number formatting in the JVM and no parsing in PostgreSQL.
        int perBlock = 2 + (4 + 8) + (4 + 4) + (4 + 8) + 3 * (4 + ARRAY_HEADER);
        ByteBuffer buf = ByteBuffer.allocate(COPY_HEADER.length + 2 + perBlock * blocks.size() + 3 * 12 * points);
        buf.put(COPY_HEADER);
        for (Block block : blocks) {
            PointBuffer b = block.points();
            long ts = b.ts[0];
            for (int i = 1; i < b.size; i++) {
                ts = extent == Extent.MIN_TS ? Math.min(ts, b.ts[i]) : Math.max(ts, b.ts[i]);
            }
            buf.putShort((short) 6);
            buf.putInt(8).putLong(block.owner());
            buf.putInt(4).putInt(b.size);
            buf.putInt(8).putLong(ts);
            arrayHeader(buf, INT8_OID, b.size);
            for (int i = 0; i < b.size; i++) {
                buf.putInt(8).putLong(b.ts[i]);
            }
            arrayHeader(buf, INT8_OID, b.size);
            for (int i = 0; i < b.size; i++) {
                buf.putInt(8).putLong(b.step[i]);
            }
            arrayHeader(buf, FLOAT8_OID, b.size);
            for (int i = 0; i < b.size; i++) {
                buf.putInt(8).putDouble(b.value[i]);
            }
        }
        buf.putShort((short) -1);
        // table and column are this package's constants, never input
        CopyIn copy = c.unwrap(PgConnection.class).getCopyAPI().copyIn("COPY " + table + " (" + ownerColumn
                + ", n, " + extent.name().toLowerCase(Locale.ROOT) + ", ts, step, value) FROM STDIN (FORMAT binary)");
        try {
            copy.writeToCopy(buf.array(), 0, buf.position());
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** A one-dimensional array without nulls in PostgreSQL's binary format: the field length, then the header. */
    private static void arrayHeader(ByteBuffer buf, int elementOid, int n) {
        buf.putInt(ARRAY_HEADER + 12 * n);
        buf.putInt(1).putInt(0).putInt(elementOid).putInt(n).putInt(1);
    }

    private static final int ARRAY_HEADER = 20;
    private static final int INT8_OID = 20;
    private static final int FLOAT8_OID = 701;

    /** PostgreSQL binary COPY header: signature, flags, header extension length. */
    private static final byte[] COPY_HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0,
        0, 0, 0, 0, 0, 0, 0, 0};
}
