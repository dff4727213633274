package dev.cairn.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Request-binding failures become the standard error body with a code: JSON of the wrong shape or types, JSON
 * that does not parse, and the wrapped or entity-less 4xx exceptions RESTEasy Reactive throws for them.
 */
class ErrorMappersTest {

    /** A request type like the native API's. */
    record Change(String stage, Boolean archive, String comment, List<Tag> tags) {
    }

    record Tag(String key, String value) {
    }

    static final ObjectMapper JSON = new ObjectMapper();
    final ErrorMappers mappers = new ErrorMappers();

    private static <E extends Exception> E failure(Class<E> type, String body) {
        return assertThrows(type, () -> JSON.readValue(body, Change.class));
    }

    private static ErrorBody body(Response r) {
        assertEquals(MediaType.APPLICATION_JSON_TYPE, r.getMediaType());
        return (ErrorBody) r.getEntity();
    }

    private static void clean(ErrorBody b) {
        assertFalse(b.message().isBlank());
        for (String leak : List.of("java.", "dev.cairn", "Source:", "ErrorMappersTest", "Change")) {
            assertFalse(b.message().contains(leak), () -> "message leaks '" + leak + "': " + b.message());
        }
    }

    @Test
    void mismatchedTypesNameTheFieldAndWhatItMustBe() {
        for (String[] c : List.of(
                new String[] {"{\"stage\":{}}", "'stage'", "a string"},
                new String[] {"{\"stage\":[\"x\"]}", "'stage'", "a string"},
                new String[] {"{\"archive\":\"maybe\"}", "'archive'", "a boolean"},
                new String[] {"{\"archive\":{}}", "'archive'", "a boolean"},
                new String[] {"{\"tags\":{}}", "'tags'", "a JSON array"},
                new String[] {"{\"tags\":[{\"key\":{}}]}", "'tags[0].key'", "a string"},
                new String[] {"{\"tags\":[1]}", "'tags[0]'", "a JSON object"})) {
            Response r = mappers.jsonMismatch(failure(MismatchedInputException.class, c[0]));
            assertEquals(400, r.getStatus(), c[0]);
            ErrorBody b = body(r);
            assertEquals("INVALID_PARAMETER_VALUE", b.errorCode(), c[0]);
            assertTrue(b.message().contains(c[1]) && b.message().contains(c[2]), c[0] + " -> " + b.message());
            clean(b);
        }
    }

    @Test
    void aBodyOfTheWrongShapeSaysSo() {
        for (String body : List.of("[]", "\"Production\"", "42", "true")) {
            ErrorBody b = body(mappers.jsonMismatch(failure(MismatchedInputException.class, body)));
            assertEquals("INVALID_PARAMETER_VALUE", b.errorCode(), body);
            assertEquals("Invalid request body: expected a JSON object", b.message(), body);
        }
    }

    @Test
    void malformedJsonIsABadRequestWithItsPosition() {
        for (String body : List.of("{", "{\"stage\":", "{\"stage\":Production}", "not json", "{'stage':'x'}")) {
            StreamReadException e = failure(StreamReadException.class, body);
            Response r = mappers.jsonSyntax(e);
            assertEquals(400, r.getStatus());
            ErrorBody b = body(r);
            assertEquals("BAD_REQUEST", b.errorCode(), body);
            assertTrue(b.message().startsWith("Malformed JSON request body (line 1, column "), b.message());
            clean(b);
        }
    }

    @Test
    void parserLimitsAreABadRequest() {
        ObjectMapper small = JsonMapper.builder(JSON.getFactory().copy().setStreamReadConstraints(
                StreamReadConstraints.builder().maxStringLength(10).build())).build();
        // databind wraps the parser's error with the field path; RESTEasy Reactive wraps that in a 400
        JsonMappingException e = assertThrows(JsonMappingException.class,
                () -> small.readValue("{\"stage\":\"" + "x".repeat(11) + "\"}", Change.class));
        assertTrue(e.getCause() instanceof StreamConstraintsException, e.toString());
        for (Response r : List.of(mappers.jsonLimits((StreamConstraintsException) e.getCause()),
                mappers.web(new WebApplicationException(e, Response.Status.BAD_REQUEST)))) {
            assertEquals(400, r.getStatus());
            assertEquals("BAD_REQUEST", body(r).errorCode());
            assertTrue(body(r).message().startsWith("Request body exceeds the JSON parser's limits"));
            clean(body(r));
        }
    }

    @Test
    void wrappedBindingFailuresAreAnsweredAsTheirCause() {
        MismatchedInputException mismatch = failure(MismatchedInputException.class, "{\"stage\":{}}");
        ErrorBody b = body(mappers.web(new WebApplicationException(mismatch, Response.Status.BAD_REQUEST)));
        assertEquals("INVALID_PARAMETER_VALUE", b.errorCode());
        assertTrue(b.message().contains("'stage'"), b.message());

        StreamReadException syntax = failure(StreamReadException.class, "{");
        Response r = mappers.web(new BadRequestException(syntax));
        assertEquals(400, r.getStatus());
        assertEquals("BAD_REQUEST", body(r).errorCode());
        assertTrue(body(r).message().startsWith("Malformed JSON request body"));
    }

    @Test
    void entityLessClientErrorsGetABodyWithTheirStatus() {
        for (WebApplicationException e : List.of(new BadRequestException(), new NotSupportedException(),
                new WebApplicationException(422))) {
            Response r = mappers.web(e);
            assertEquals(e.getResponse().getStatus(), r.getStatus());
            ErrorBody b = body(r);
            assertEquals("BAD_REQUEST", b.errorCode());
            clean(b);
        }
        // a server-side failure stays a 500 without details
        Response r = mappers.web(new WebApplicationException(new IllegalStateException("secret"), 500));
        assertEquals(500, r.getStatus());
        assertEquals("Internal error", body(r).message());
    }
}
