package dev.cairn.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.cairn.access.AuthOnProfile;
import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** Without CAIRN_OIDC_ISSUER the OIDC tenant is off: /login/sso says so and nothing redirects anywhere. */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
@TestProfile(AuthOnProfile.class)
class SsoOffTest {

    @Test
    void ssoIsOffWithoutAnIssuer() {
        given().redirects().follow(false).get("/login/sso?next=/").then().statusCode(404)
                .body(containsString("not configured"));
    }
}
