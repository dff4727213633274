package dev.cairn.common.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** A request to an API route Cairn does not serve answers MLflow's 404 and is logged once a minute per route. */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class UnknownRoutesTest {

    @Test
    void unknownApiRoutesAreLoggedAtWarnOncePerRoute() {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(UnknownRoutes.class.getName());
        logger.addHandler(capture);
        try {
            String id = UUID.randomUUID().toString();
            for (int i = 0; i < 3; i++) {
                given().contentType("application/json").body("{}").post("/api/2.0/mlflow/no-such-" + id).then()
                        .statusCode(404).body("error_code", equalTo("ENDPOINT_NOT_FOUND"));
            }
            given().get("/api/3.0/mlflow/also-missing-" + id).then().statusCode(404)
                    .body("error_code", equalTo("ENDPOINT_NOT_FOUND"));
            List<String> lines = records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                    .map(r -> formatted(r)).filter(m -> m.contains(id)).toList();
            assertEquals(2, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("POST /api/2.0/mlflow/no-such-" + id), lines.get(0));
            assertTrue(lines.get(1).contains("GET /api/3.0/mlflow/also-missing-" + id), lines.get(1));
        } finally {
            logger.removeHandler(capture);
        }
    }

    private static String formatted(LogRecord r) {
        String message = r.getMessage();
        Object[] params = r.getParameters();
        return params == null || params.length == 0 ? message : String.format(message, params);
    }
}
