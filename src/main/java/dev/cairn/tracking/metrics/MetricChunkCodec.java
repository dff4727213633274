package dev.cairn.tracking.metrics;

import java.io.ByteArrayOutputStream;

/**
 * The byte layout of a sealed chunk: a format byte, the point count, then per point the timestamp and step as
 * variable-length deltas from the previous point (zig-zag for steps, which may go down) and the value's 8 bytes.
 * Deltas wrap in 64-bit arithmetic, so any long round-trips. A training loop's points cost about 11 bytes:
 * 1-2 for the timestamp, 1 for the step, 8 for the value (noisy mantissas do not compress; PostgreSQL's own
 * compression of the column catches constant series).
 */
final class MetricChunkCodec {

    static final byte FORMAT = 1;

    private MetricChunkCodec() {
    }

    /** Encodes points {@code [from, to)} of a buffer in history order. */
    static byte[] encode(PointBuffer p, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((to - from) * 11 + 8);
        out.write(FORMAT);
        writeVarint(out, to - from);
        long prevTs = 0;
        long prevStep = 0;
        byte[] v = new byte[8];
        for (int i = from; i < to; i++) {
            writeVarint(out, p.ts[i] - prevTs);
            writeVarint(out, zigzag(p.step[i] - prevStep));
            long bits = Double.doubleToRawLongBits(p.value[i]);
            for (int b = 0; b < 8; b++) {
                v[b] = (byte) (bits >>> (56 - 8 * b));
            }
            out.write(v, 0, 8);
            prevTs = p.ts[i];
            prevStep = p.step[i];
        }
        return out.toByteArray();
    }

    /** Appends a chunk's points to {@code into}; a chunk from another format version is an error. */
    static void decode(byte[] data, PointBuffer into) {
        if (data.length == 0 || data[0] != FORMAT) {
            throw new IllegalStateException("Unknown metric chunk format " + (data.length == 0 ? "(empty)" : data[0]));
        }
        int[] pos = {1};
        long n = readVarint(data, pos);
        long ts = 0;
        long step = 0;
        for (long i = 0; i < n; i++) {
            ts += readVarint(data, pos);
            step += unzigzag(readVarint(data, pos));
            int p = pos[0];
            long bits = 0;
            for (int b = 0; b < 8; b++) {
                bits = (bits << 8) | (data[p + b] & 0xffL);
            }
            pos[0] = p + 8;
            into.add(ts, step, Double.longBitsToDouble(bits));
        }
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long readVarint(byte[] data, int[] pos) {
        long v = 0;
        int shift = 0;
        int p = pos[0];
        while (true) {
            byte b = data[p++];
            v |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                break;
            }
            shift += 7;
        }
        pos[0] = p;
        return v;
    }
}
