package dev.cairn.registry;

import dev.cairn.tracking.KeyValue;
import java.util.List;

/** A registered model as the API shows it: the row's public fields and its tags sorted by key. */
public record RegisteredModelView(String name, String description, long creationTime, long lastUpdatedTime,
                                  List<KeyValue> tags) {

    public RegisteredModelView {
        tags = List.copyOf(tags);
    }

    static RegisteredModelView of(RegisteredModel m, List<KeyValue> tags) {
        return new RegisteredModelView(m.name, m.description, m.creationTime, m.lastUpdatedTime, tags);
    }
}
