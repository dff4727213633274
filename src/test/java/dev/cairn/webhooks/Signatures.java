package dev.cairn.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A receiver's check of a delivery's signature, computed independently of the server's code. */
public final class Signatures {

    private Signatures() {
    }

    public static void assertSigned(Receiver.Received r, String secret) throws Exception {
        String id = r.header("X-MLflow-Delivery-Id");
        String timestamp = r.header("X-MLflow-Timestamp");
        assertNotNull(id);
        assertNotNull(timestamp);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((id + "." + timestamp + "." + r.body()).getBytes(StandardCharsets.UTF_8));
        assertEquals("v1," + Base64.getEncoder().encodeToString(expected), r.header("X-MLflow-Signature"));
    }
}
