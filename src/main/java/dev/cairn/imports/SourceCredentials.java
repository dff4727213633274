package dev.cairn.imports;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a job needs to read its source: an MLflow bearer token or a username and password, and S3 keys for runs whose
 * artifacts live in S3. Sealed in the job row while the job lives, never logged ({@link #toString()} hides them) and
 * never answered.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceCredentials(@JsonProperty("token") String token,
                                @JsonProperty("username") String username,
                                @JsonProperty("password") String password,
                                @JsonProperty("s3_access_key") String s3AccessKey,
                                @JsonProperty("s3_secret_key") String s3SecretKey) {

    public static final SourceCredentials NONE = new SourceCredentials(null, null, null, null, null);

    public boolean isEmpty() {
        return token == null && username == null && password == null && s3AccessKey == null && s3SecretKey == null;
    }

    @Override
    public String toString() {
        return "SourceCredentials[hidden]";
    }
}
