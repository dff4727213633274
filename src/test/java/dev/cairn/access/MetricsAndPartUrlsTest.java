package dev.cairn.access;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * With auth on: {@code /q/metrics} needs an admin or the metrics token; multipart part URLs authorise themselves
 * (the MLflow client PUTs them bare), and any change to one breaks it.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
@TestProfile(AuthOnProfile.class)
class MetricsAndPartUrlsTest {

    @Test
    void metricsNeedAnAdminOrTheMetricsToken() {
        given().get("/q/metrics").then().statusCode(401).header("WWW-Authenticate", "Basic realm=\"cairn\"")
                .body("error_code", equalTo("UNAUTHENTICATED"));
        Auth.as(Auth.newUser("scraper")).get("/q/metrics").then().statusCode(403)
                .body("error_code", equalTo("PERMISSION_DENIED"));
        Auth.bearer("wrong-token").get("/q/metrics").then().statusCode(401);
        Auth.admin().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
        given().header("Authorization", "Bearer " + AuthOnProfile.METRICS_TOKEN).get("/q/metrics").then()
                .statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void partUrlsWorkWithoutCredentialsAndNotWhenTamperedWith() throws Exception {
        String user = Auth.newUser("uploader");
        String exp = Auth.experimentOf(user);
        String run = Auth.runIn(user, exp);
        String rel = exp + "/" + run + "/artifacts/model/big.bin";
        int partSize = 5 * 1024 * 1024;
        byte[] data = new byte[2 * partSize];
        new Random(3).nextBytes(data);
        var created = Auth.as(user).contentType(ContentType.JSON).body(Map.of("path", "big.bin", "num_parts", 2))
                .post("/api/2.0/mlflow-artifacts/mpu/create/" + rel).then().statusCode(200).extract().jsonPath();
        String uploadId = created.getString("upload_id");
        List<String> urls = created.getList("credentials.url");
        assertTrue(urls.get(0).contains("signature="), urls.get(0));

        HttpClient http = HttpClient.newHttpClient();
        String first = urls.get(0);
        // Tampered: another part number, another user, a later expiry, a changed signature, no signature.
        for (String forged : List.of(first.replace("/parts/" + uploadId + "/1?", "/parts/" + uploadId + "/2?"),
                first.replace("user=" + user, "user=admin"),
                first.replaceFirst("expires=(\\d+)", "expires=9$1"),
                first.substring(0, first.length() - 2) + (first.endsWith("AA") ? "BB" : "AA"),
                first.substring(0, first.indexOf('?')))) {
            HttpResponse<String> r = put(http, forged, new byte[] {1, 2, 3});
            assertEquals(403, r.statusCode(), forged + " -> " + r.body());
            assertTrue(r.body().contains("PERMISSION_DENIED"), r.body());
        }

        StringBuilder parts = new StringBuilder();
        for (int n = 1; n <= 2; n++) {
            HttpResponse<String> r = put(http, urls.get(n - 1),
                    java.util.Arrays.copyOfRange(data, (n - 1) * partSize, n * partSize));
            assertEquals(200, r.statusCode(), r.body());
            parts.append(n == 1 ? "" : ",").append("{\"part_number\":").append(n).append(",\"etag\":\"")
                    .append(r.headers().firstValue("ETag").orElseThrow().replace("\"", "\\\"")).append("\"}");
        }
        Auth.as(user).contentType(ContentType.JSON)
                .body("{\"path\":\"big.bin\",\"upload_id\":\"" + uploadId + "\",\"parts\":[" + parts + "]}")
                .post("/api/2.0/mlflow-artifacts/mpu/complete/" + rel).then().statusCode(200);
        assertArrayEquals(data, Auth.as(user).get("/api/2.0/mlflow-artifacts/artifacts/" + rel).then()
                .statusCode(200).extract().asByteArray());
    }

    private static HttpResponse<String> put(HttpClient http, String url, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
