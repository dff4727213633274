package dev.cairn.tracking.metrics;

import dev.cairn.common.Jdbc;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.RunRef;
import dev.cairn.tracking.models.LoggedModelLookup;
import dev.cairn.tracking.models.LoggedModelRef;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * The public way for other features to read one metric value of a run or a logged model (the registry's promotion
 * gates). Empty when the run, the model or the metric is missing.
 */
@ApplicationScoped
public class MetricValues {

    @Inject AgroalDataSource dataSource;

    @Inject RunLookup runs;

    @Inject LoggedModelLookup loggedModels;

    /** The latest value of {@code key} logged by the run. */
    public Optional<Double> ofRun(String runUuid, String key) {
        Optional<RunRef> run = runs.find(runUuid);
        return run.isEmpty() ? Optional.empty()
                : Jdbc.call(dataSource, c -> MetricValueRepository.ofRun(c, run.get().id(), key));
    }

    /** The newest value of {@code key} attributed to the logged model, on {@code dataset} when not null. */
    public Optional<Double> ofLoggedModel(String modelId, String key, String dataset) {
        Optional<LoggedModelRef> model = loggedModels.find(modelId);
        return model.isEmpty() ? Optional.empty()
                : Jdbc.call(dataSource, c -> MetricValueRepository.ofLoggedModel(c, model.get().id(), key, dataset));
    }
}
