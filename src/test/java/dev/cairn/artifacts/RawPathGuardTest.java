package dev.cairn.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Raw artifact URLs as clients send them: the segment rules. */
class RawPathGuardTest {

    @Test
    void checksSegmentsOfTheRawPath() {
        assertTrue(RawPathGuard.validPath("/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/..a/..../a.b/%C3%BC"));
        assertTrue(RawPathGuard.validPath("/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/m;v=1/c"));
        for (String bad : List.of("/a//b", "//a", "/a/", "/a/./b", "/a/../b", "/a/%2e/b", "/a/%2E%2e", "/a%2fb",
                "/a%5Cb", "/a\\b", "/a%00", "/a%0a", "/%c0%ae%c0%ae/x", "a/b", "/")) {
            assertFalse(RawPathGuard.validPath(bad), bad);
        }
    }

    @Test
    void checksPathQueryParameters() {
        assertTrue(RawPathGuard.validPathParameters(null));
        assertTrue(RawPathGuard.validPathParameters("path=1%2Fabc%2Fartifacts%2Fmodel%2F&run_id=abc"));
        assertTrue(RawPathGuard.validPathParameters("path=with+space&path=%C3%BC"));
        assertTrue(RawPathGuard.validPathParameters("other=%c0%ae"), "only path parameters are artifact paths");
        for (String bad : List.of("path=%c0%ae", "pa%74h=%80", "path=a%zz", "path=a;b", "x=1;path=a", "path=a%00")) {
            assertFalse(RawPathGuard.validPathParameters(bad), bad);
        }
    }

    @Test
    void decodesAPathAsSentKeepingSemicolons() {
        assertEquals("1/r/artifacts/m;v=1/\u00fc.txt", RawPathGuard.decodePath("1/r/artifacts/m;v=1/%C3%BC.txt"));
        assertThrows(RuntimeException.class, () -> RawPathGuard.decodePath("a/%2F"));
        assertThrows(RuntimeException.class, () -> RawPathGuard.decodePath("a/%c0%ae"));
    }

    @Test
    void knowsTheArtifactRoutes() {
        for (String route : List.of("/api/2.0/mlflow-artifacts/artifacts", "/ajax-api/2.0/mlflow-artifacts/mpu/create/x",
                "/api/2.0/mlflow/artifacts/list", "/ajax-api/2.0/mlflow/artifacts/list", "/get-artifact",
                "/api/v1/runs/abc/artifacts", "/api/v1/runs/abc/artifacts/metadata")) {
            assertTrue(RawPathGuard.isArtifactRoute(route), route);
        }
        for (String route : List.of("/api/2.0/mlflow/runs/create", "/api/v1/runs/abc", "/runs/abc", "/static/x.css")) {
            assertFalse(RawPathGuard.isArtifactRoute(route), route);
        }
    }
}
