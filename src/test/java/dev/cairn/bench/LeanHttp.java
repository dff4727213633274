package dev.cairn.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection that sends requests encoded in advance and reads each response whole: the load
 * generator of the ingestion benchmark. On two cores shared with the server and PostgreSQL, Java's HttpClient spent
 * more CPU per 1000-point request than Cairn did (3.8 ms against 2.3 ms, measured per process), so it measured the
 * client; this one costs what writing 64 kB to a socket costs, as wrk would. HTTP/1.1 is what MLflow's clients speak
 * (Python requests, the Java client's Apache HttpClient).
 */
final class LeanHttp implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final StringBuilder line = new StringBuilder(128);

    LeanHttp(URI base) throws IOException {
        socket = new Socket(base.getHost(), base.getPort());
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    /** A POST of {@code json} to {@code path}, headers and body in one array; {@code auth} may be null. */
    static byte[] post(URI base, String path, String auth, String json) {
        return post(base, path, auth, json.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }

    /** A POST whose body is {@code first} then {@code second}. */
    static byte[] post(URI base, String path, String auth, byte[] first, byte[] second) {
        byte[] body = new byte[first.length + second.length];
        System.arraycopy(first, 0, body, 0, first.length);
        System.arraycopy(second, 0, body, first.length, second.length);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n"
                + (auth == null ? "" : "Authorization: " + auth + "\r\n") + "\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** A GET of {@code path}; {@code auth} may be null. */
    static byte[] get(URI base, String path, String auth) {
        return ("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + (auth == null ? "" : "Authorization: " + auth + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Sends one request made by {@link #post} or {@link #get} and returns the response's body; a status other than 200 throws. */
    String send(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        String status = readLine();
        long length = -1;
        boolean chunked = false;
        for (String h = readLine(); !h.isEmpty(); h = readLine()) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (long n = Long.parseLong(readLine().trim(), 16); n > 0; n = Long.parseLong(readLine().trim(), 16)) {
                copy(n, body);
                readLine();
            }
            readLine();
        } else if (length >= 0) {
            copy(length, body);
        } else {
            throw new IOException("response without a length: " + status);
        }
        String text = body.toString(StandardCharsets.UTF_8);
        if (!status.startsWith("HTTP/1.1 200 ")) {
            throw new IOException(status + " " + text);
        }
        return text;
    }

    private void copy(long n, ByteArrayOutputStream to) throws IOException {
        byte[] buf = new byte[8192];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new EOFException();
            }
            to.write(buf, 0, r);
            n -= r;
        }
    }

    private String readLine() throws IOException {
        line.setLength(0);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException();
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
