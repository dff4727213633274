package dev.cairn.identity;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What a browser does during an SSO login, over real HTTP: it follows each redirect by hand (Cairn → provider →
 * Cairn's callback → ...) and keeps cookies per host and path, until Cairn answers with something other than a
 * redirect to itself or the provider.
 */
final class SsoBrowser {

    /** The last answer of the flow, the cairn_session it set (if any), and the hops taken for failure messages. */
    record Result(int status, String location, String setCookie, String session, String body, String trace,
                  java.util.List<String> cookies) {
    }

    private final URI cairn;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;

    SsoBrowser(URI cairn) {
        this.cairn = cairn;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).cookieHandler(cookies)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    Result login(String next) {
        URI uri = cairn.resolve("/login/sso" + (next == null ? "" : "?next="
                + URLEncoder.encode(next, StandardCharsets.UTF_8)));
        StringBuilder trace = new StringBuilder();
        for (int hop = 0; hop < 10; hop++) {
            HttpResponse<String> r = get(uri);
            String location = r.headers().firstValue("Location").orElse(null);
            trace.append(r.statusCode()).append(' ').append(uri).append(" -> ").append(location).append('\n');
            String setCookie = r.headers().allValues("Set-Cookie").stream()
                    .filter(c -> c.startsWith(SessionService.COOKIE + "=")).findFirst().orElse(null);
            boolean redirect = r.statusCode() / 100 == 3 && location != null;
            boolean onward = redirect && setCookie == null && (!isCairn(uri.resolve(location))
                    || uri.resolve(location).getPath().equals("/login/sso"));
            if (!onward) {
                String session = setCookie == null ? null
                        : HttpCookie.parse(setCookie).get(0).getValue();
                return new Result(r.statusCode(), location, setCookie, session, r.body(), trace.toString(),
                        r.headers().allValues("Set-Cookie"));
            }
            uri = uri.resolve(location);
        }
        throw new AssertionError("Too many redirects:\n" + trace);
    }

    private boolean isCairn(URI uri) {
        return uri.getPort() == cairn.getPort() && uri.getHost().equals(cairn.getHost());
    }

    private HttpResponse<String> get(URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
