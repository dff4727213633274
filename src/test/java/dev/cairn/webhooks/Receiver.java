package dev.cairn.webhooks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real HTTP receiver of webhook deliveries on 127.0.0.1 (a random port): records each POST, answers as told. */
public final class Receiver implements AutoCloseable {

    /** One request as received. */
    public record Received(Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<Received> all = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
    private volatile int otherwise = 200;
    private volatile long delayMs;

    private Receiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Received r = new Received(Map.copyOf(exchange.getRequestHeaders()), body);
            all.add(r);
            received.add(r);
            Integer status = answers.poll();
            if (delayMs > 0) {
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] answer = "received".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status == null ? otherwise : status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    public static Receiver start() throws IOException {
        return new Receiver(0);
    }

    /** On a given port (a receiver brought up where a webhook already points). */
    public static Receiver startOn(int port) throws IOException {
        return new Receiver(port);
    }

    /** The next answers, in order; then {@link #otherwise}. */
    public Receiver answer(Integer... statuses) {
        answers.addAll(List.of(statuses));
        return this;
    }

    public Receiver otherwise(int status) {
        otherwise = status;
        return this;
    }

    /** Waits this long before answering each request. */
    public Receiver delay(Duration delay) {
        delayMs = delay.toMillis();
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The next request, waiting up to {@code timeout}; fails if none comes. */
    public Received next(Duration timeout) throws InterruptedException {
        Received r = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no delivery within " + timeout + " at " + url());
        }
        return r;
    }

    public List<Received> all() {
        return List.copyOf(all);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
