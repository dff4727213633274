package dev.cairn.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The ingestion benchmark's physical limits: binary COPY (what log-batch sends, no parsing on either side) of the
 * points the HTTP clients sent, into the same hot-block layout, shaped as log-batch shapes them (10 series of 100
 * points per 1000, blocks of up to 64). Two forms: everything in one transaction from one connection, and the same
 * work the server is given, one transaction per 1000 points (each acknowledged request is durable) from as many
 * connections as there are clients. Series ids are far above any real one; the rows are deleted afterwards (and the
 * sealer drops hot rows of no series).
 */
final class CopyBaseline {

    private static final long SERIES_BASE = 1_000_000_000L;
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0,
        0, 0, 0, 0};
    private static final String BLOCKS = "COPY metric_hot_blocks (series_id, n, min_ts, ts, step, value) FROM STDIN "
            + "(FORMAT binary)";
    private static final String ROWS = "COPY metric_hot (series_id, ts, step, value) FROM STDIN (FORMAT binary)";

    private CopyBaseline() {
    }

    /** Points/s of {@code requests} x 1000 points as hot blocks, in one COPY and one commit. */
    static double blocksOneTransaction(String jdbcUrl, int requests) throws Exception {
        Encoder e = new Encoder();
        for (int r = 0; r < requests; r++) {
            request(e, 0, r);
        }
        return requests * 1000.0 / timed(jdbcUrl, List.of(e.finish()), BLOCKS);
    }

    /** Points/s of the same points as one row each (V23's {@code metric_hot}), in one COPY: for reference. */
    static double rowsOneTransaction(String jdbcUrl, int requests) throws Exception {
        Encoder e = new Encoder();
        for (int r = 0; r < requests; r++) {
            for (int k = 0; k < 10; k++) {
                for (int s = 0; s < 100; s++) {
                    long step = (long) r * 100 + s;
                    e.tuple(4).int8(SERIES_BASE + k).int8(1_700_000_000_000L + step).int8(step)
                            .float8(Math.sin(step * 0.001 + k));
                }
            }
        }
        return requests * 1000.0 / timed(jdbcUrl, List.of(e.finish()), ROWS);
    }

    /**
     * Points/s of {@code writers} connections, each committing {@code perWriter} COPYs of 1000 points: the database
     * doing exactly what log-batch asks of it, minus HTTP, JSON, the run check and the series upsert.
     */
    static double blocksPerRequest(String jdbcUrl, int writers, int perWriter) throws Exception {
        List<List<byte[]>> work = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            List<byte[]> mine = new ArrayList<>(perWriter);
            for (int r = 0; r < perWriter; r++) {
                Encoder e = new Encoder();
                request(e, w, r);
                mine.add(e.finish());
            }
            work.add(mine);
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Double>> done = new ArrayList<>();
            long start = System.nanoTime();
            for (List<byte[]> mine : work) {
                done.add(pool.submit(() -> timed(jdbcUrl, mine, BLOCKS)));
            }
            for (Future<Double> f : done) {
                f.get();
            }
            return writers * perWriter * 1000.0 / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdown();
        }
    }

    /** Request {@code r} of writer {@code w}: 10 series x 100 steps, each series in blocks of at most 64. */
    private static void request(Encoder e, int w, int r) throws IOException {
        for (int k = 0; k < 10; k++) {
            for (int from = 0; from < 100; from += 64) {
                int n = Math.min(64, 100 - from);
                long firstStep = (long) r * 100 + from;
                e.tuple(6).int8(SERIES_BASE + w * 10L + k).int4(n).int8(1_700_000_000_000L + firstStep);
                e.array(20, n);
                for (int i = 0; i < n; i++) {
                    e.int8(1_700_000_000_000L + firstStep + i);
                }
                e.array(20, n);
                for (int i = 0; i < n; i++) {
                    e.int8(firstStep + i);
                }
                e.array(701, n);
                for (int i = 0; i < n; i++) {
                    e.float8(Math.sin((firstStep + i) * 0.001 + k));
                }
            }
        }
    }

    /** Seconds to COPY and commit each of {@code copies} in turn on one connection; the rows are deleted after. */
    private static double timed(String jdbcUrl, List<byte[]> copies, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres")) {
            c.setAutoCommit(false);
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            long start = System.nanoTime();
            for (byte[] data : copies) {
                copy.copyIn(sql, new ByteArrayInputStream(data));
                c.commit();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            try (Statement st = c.createStatement()) {
                st.executeUpdate((sql.equals(ROWS) ? "DELETE FROM metric_hot" : "DELETE FROM metric_hot_blocks")
                        + " WHERE series_id >= " + SERIES_BASE);
            }
            c.commit();
            return seconds;
        }
    }

    /** PostgreSQL's binary COPY format: a header, tuples of length-prefixed fields, a trailer. */
    private static final class Encoder {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        private final DataOutputStream out = new DataOutputStream(bytes);

        Encoder() throws IOException {
            out.write(HEADER);
        }

        Encoder tuple(int fields) throws IOException {
            out.writeShort(fields);
            return this;
        }

        Encoder int4(int v) throws IOException {
            out.writeInt(4);
            out.writeInt(v);
            return this;
        }

        Encoder int8(long v) throws IOException {
            out.writeInt(8);
            out.writeLong(v);
            return this;
        }

        Encoder float8(double v) throws IOException {
            out.writeInt(8);
            out.writeDouble(v);
            return this;
        }

        /** A one-dimensional array header of {@code n} elements of type {@code oid}, without nulls. */
        void array(int oid, int n) throws IOException {
            out.writeInt(20 + 12 * n);
            out.writeInt(1);
            out.writeInt(0);
            out.writeInt(oid);
            out.writeInt(n);
            out.writeInt(1);
        }

        byte[] finish() throws IOException {
            out.writeShort(-1);
            out.flush();
            return bytes.toByteArray();
        }
    }
}
