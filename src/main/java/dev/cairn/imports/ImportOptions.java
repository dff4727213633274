package dev.cairn.imports;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a job copies and the non-secret part of its S3 settings, as stored in the job row. Empty lists mean
 * everything: every active experiment, every registered model.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportOptions(@JsonProperty("experiments") List<String> experiments,
                            @JsonProperty("models") List<String> models,
                            @JsonProperty("s3_endpoint") String s3Endpoint,
                            @JsonProperty("s3_region") String s3Region) {

    public ImportOptions {
        experiments = experiments == null ? List.of() : List.copyOf(experiments);
        models = models == null ? List.of() : List.copyOf(models);
    }
}
