package dev.cairn.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * The official MLflow Java client against Cairn with auth on, as MLFLOW_TRACKING_USERNAME/PASSWORD and
 * MLFLOW_TRACKING_TOKEN configure it.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
@TestProfile(AuthOnProfile.class)
class MlflowJavaClientAuthTest {

    @TestHTTPResource("/")
    URL server;

    private String uri() {
        return server.toString().replaceAll("/$", "");
    }

    private void trainingRun(MlflowClient mlflow) {
        String id = mlflow.createExperiment("client-auth-" + UUID.randomUUID());
        var run = mlflow.createRun(id);
        mlflow.logParam(run.getRunId(), "alpha", "0.5");
        mlflow.logMetric(run.getRunId(), "loss", 0.25);
        mlflow.setTerminated(run.getRunId());
        assertEquals(0.25, mlflow.getMetricHistory(run.getRunId(), "loss").get(0).getValue());
    }

    @Test
    void usernameAndPassword() {
        String user = Auth.newUser("javaclient");
        try (MlflowClient mlflow = new MlflowClient(new BasicMlflowHostCreds(uri(), user, Auth.PASSWORD))) {
            trainingRun(mlflow);
        }
    }

    @Test
    void personalAccessToken() {
        String user = Auth.newUser("javatoken");
        try (MlflowClient mlflow = new MlflowClient(new BasicMlflowHostCreds(uri(), Auth.tokenOf(user)))) {
            trainingRun(mlflow);
        }
    }

    @Test
    void wrongCredentialsAndMissingRightsAreReported() {
        try (MlflowClient anonymous = new MlflowClient(uri())) {
            MlflowClientException e = assertThrows(MlflowClientException.class,
                    () -> anonymous.createExperiment("x-" + UUID.randomUUID()));
            assertTrue(e.getMessage().contains("401"), e.getMessage());
        }
        String owner = Auth.newUser("owner");
        String exp = Auth.experimentOf(owner);
        String reader = Auth.newUser("reader");
        try (MlflowClient mlflow = new MlflowClient(new BasicMlflowHostCreds(uri(), reader, Auth.PASSWORD))) {
            assertEquals(exp, mlflow.getExperiment(exp).getExperimentId()); // default READ
            MlflowClientException e = assertThrows(MlflowClientException.class, () -> mlflow.createRun(exp));
            assertTrue(e.getMessage().contains("PERMISSION_DENIED"), e.getMessage());
        }
    }
}
